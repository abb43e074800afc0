"""Console text: integration keys (APIキー) for POS and EC systems, and their errors."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "nav_keys": ("APIキー", "API keys"),
    "ak_intro": (
        "POSレジやECサイトなど、外部のシステムがこのノードのAPIを使うための鍵です。"  # noqa: RUF001
        "システムごとに名前を付けて作り、不要になったら無効にしてください。",
        "Keys for outside systems such as a POS register or an online shop to use this node's "
        "API. Make one per system, named after it, and revoke it when it is no longer needed.",
    ),
    "ak_keys": ("発行済みのキー", "Keys"),
    "ak_name": ("名前", "Name"),
    "ak_name_hint": (
        "例: POS 渋谷店 (60文字まで)",
        "For example: POS Shibuya (up to 60 characters)",
    ),
    "ak_scope": ("権限", "Scope"),
    "ak_scope_read": ("参照のみ", "Read only"),
    "ak_scope_write": ("参照と取引", "Read and transact"),
    "ak_scope_read_hint": (
        "商品券・利用履歴・店舗の参照だけができます。",
        "May only look up vouchers, redemptions and stores.",
    ),
    "ak_scope_write_hint": (
        "参照に加えて、発行・利用・取消ができます。"
        "お客様の代わりの贈呈・コード表示や、本部の設定変更はできません。",
        "May also issue, redeem (the code the customer shows) and void; never gift or show a "
        "code for a customer, nor change head office's settings.",
    ),
    "ak_prefix": ("キーの先頭", "Key starts with"),
    "ak_created": ("作成日時", "Created"),
    "ak_last_used": ("最終利用", "Last used"),
    "ak_never_used": ("未使用", "Never"),
    "ak_state": ("状態", "Status"),
    "ak_live": ("有効", "Active"),
    "ak_revoked_at": ("無効化", "Revoked"),
    "ak_no_keys": ("キーはまだありません。", "No keys yet."),
    "ak_create": ("キーを作成", "Create key"),
    "ak_new_title": ("新しいキーを作成しました", "Your new key"),
    "ak_new_once": (
        "このキーは今だけ表示されます。今すぐコピーしてPOSやECサイトの設定に貼り付けてください。"
        "ページを離れると二度と表示できません (なくした場合は無効にして作り直します)。",
        "This key is shown only now. Copy it into the POS or online shop's settings now: once "
        "you leave this page it can never be shown again (if it is lost, revoke it and make "
        "another).",
    ),
    "ak_copy": ("コピー", "Copy"),
    "ak_copied": ("コピーしました", "Copied"),
    "ak_key_label": ("APIキー", "API key"),
    "ak_usage": (
        "送り方: Authorization: Bearer の後にこのキー (宛先 /api/v1/)",
        "Send it as: Authorization: Bearer followed by the key (to /api/v1/)",
    ),
    "ak_revoke": ("無効にする", "Revoke"),
    "ak_revoke_title": ("このキーを無効にしますか", "Revoke this key?"),
    "ak_revoke_warning": (
        "無効にすると、このキーを使っているシステムは次の通信から利用できなくなります。"
        "元に戻すことはできません。",
        "The system using this key is refused from its next request on. This cannot be undone.",
    ),
    "ak_revoke_confirm": ("無効にする", "Revoke the key"),
    "ak_back": ("キー一覧へ戻る", "Back to keys"),
    "ak_err_name": (
        "名前を1〜60文字で入力してください (改行や制御文字は使えません)。",
        "Enter a name of 1 to 60 characters (no line breaks or control characters).",
    ),
    "done_ak_revoked": ("キーを無効にしました。", "The key was revoked."),
    "field:scope": ("権限", "Scope"),
    "error:auth.key_unknown": (
        "このAPIキーはこのノードにありません。正しくコピーされたか確認するか、新しいキーを作成してください。",  # noqa: RUF001
        "This API key is not known to this node: check it was copied whole, or make a new one.",
    ),
    "error:auth.key_revoked": (
        "このAPIキーは無効にされています。本部に新しいキーを依頼してください。",
        "This API key was revoked: ask head office for a new one.",
    ),
    "error:auth.key_read_only": (
        "このAPIキーは参照のみです。発行・利用・取消には「参照と取引」のキーが必要です。",
        "This API key may only read: issuing, redeeming and voiding need a read-and-transact key.",
    ),
    "error:auth.key_not_allowed": (
        "APIキーではこの操作はできません。本部の管理者トークンが必要です。",
        "API keys may not do this: it needs head office's admin token.",
    ),
    "error:auth.key_name_taken": (
        "その名前のキーはすでに使われています。別の名前にするか、古いキーを無効にしてください。",
        "A key in use already has that name: choose another, or revoke the old key first.",
    ),
    "error:auth.key_not_found": (
        "そのキーは見つからないか、すでに無効です。キー一覧を確認してください。",
        "That key does not exist or is already revoked: see the list of keys.",
    ),
}
