"""What the storage.* error codes and the node as a running service say to a person
(`error:<code>`), in Japanese and English; conventions in node/web/texts/errors.py."""

from __future__ import annotations

# key: ("error:" + code): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    # storage.*: the node's database and disk (the administrator can act)
    "error:storage.error": (
        "いまデータベースを使えません。何も変更されていません。しばらくしてからもう一度お試しください。",
        "The database cannot be used right now; nothing was changed. Please try again shortly.",
    ),
    "error:storage.disk_full": (
        "データベースのディスクがいっぱいです。何も変更されていません。"
        "管理者に空き容量を増やしてもらってください。空きができれば自動で再開します。",
        "The database's disk is full; nothing was changed. Please ask the administrator to free"
        " space; the node goes on by itself once there is room.",
    ),
    "error:storage.read_only": (
        "データベースに書き込めません。何も変更されていません。"
        "管理者にファイルの書き込み権限を確かめてもらってください。",
        "The database cannot be written; nothing was changed. Please ask the administrator to"
        " check the file permissions.",
    ),
    "error:storage.io_error": (
        "ディスクの読み書きでエラーが起きました。何も変更されていません。"
        "管理者にディスクを点検してもらってください。",
        "The disk reported an error; nothing was changed. Please ask the administrator to check"
        " the disk.",
    ),
    "error:storage.busy": (
        "ほかのプログラムがデータベースを使用中です。何も変更されていません。"
        "そのプログラムを閉じると自動で再開します。",
        "Another program holds the database; nothing was changed. Close it and the node goes on"
        " by itself.",
    ),
    "error:storage.damaged": (
        "データベースが壊れているため、ノードを動かせません。最新のバックアップから復元してください。",
        "The database is damaged, so the node will not serve it. Please restore the latest backup.",
    ),
    "error:storage.other_node": (
        "このデータベースは別のノードのものです。正しい鍵ファイルを戻すか、"
        "このノードのバックアップから復元してください。",
        "This database belongs to another node. Please put its key file back or restore this"
        " node's own backup.",
    ),
    "error:storage.home_read_only": (
        "ノードのホームディレクトリに書き込めません。書き込めるようにしてください。",
        "The node's home directory cannot be written. Please make it writable.",
    ),
    "error:storage.node_running": (
        "このホームでノードが動いています。先にノードを止めてください。",
        "The node is running on this home. Please stop it first.",
    ),
    "error:storage.backup_invalid": (
        "このファイルは、このノードの正しいバックアップではありません。何も置き換えていません。",
        "That file is not a sound backup of this node; nothing was replaced.",
    ),
    "error:storage.backup_failed": (
        "バックアップを作れませんでした。ノードのホームの外にあるファイルを指定して、"
        "もう一度お試しください。",
        "The backup could not be made. Please write it to a file outside the node's home and"
        " try again.",
    ),
    # The node as a running service (mostly the command line)
    "error:config.invalid": (
        "ノードの設定に誤りがあります。config.toml の示された項目を直してください。",
        "The node's configuration is invalid. Please fix the listed keys in config.toml.",
    ),
    "error:node.rotation_unresolved": (
        "鍵の切り替えが途中で止まっています。運用ガイドに沿ってデータベースを修復するか復元してから、"
        "ノードを起動してください。",
        "A key rotation was interrupted. Please repair or restore the database as the operations"
        " guide says, then start the node.",
    ),
    "error:node.unavailable": (
        "ノードが動いていないか、接続できません。kippu serve で起動してください。",
        "The node is not running or cannot be reached. Please start it with kippu serve.",
    ),
    "error:node.refused": (
        "ノードが要求を受け付けませんでした。表示された理由を確かめてください。",
        "The node refused the request. Please see the reason given.",
    ),
    "error:server.too_many_connections": (
        "接続が多すぎます。少し待ってから、もう一度お試しください。",
        "Too many connections are open. Please wait a moment and try again.",
    ),
    "error:receipt.unavailable": (
        "いまは領収書を作れません (日本語フォントがありません)。管理者に連絡してください。",
        "Receipts cannot be made right now (no Japanese font). Please contact the administrator.",
    ),
}
