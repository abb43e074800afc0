"""Console text: stores and staff accounts."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "ss_stores": ("店舗", "Stores"),
    "ss_store_name": ("店舗名", "Store name"),
    "ss_store_id": ("店舗ID", "Store id"),
    "ss_staff_count": ("スタッフ数", "Staff"),
    "ss_add_store": ("店舗を追加", "Add a store"),
    "ss_staff": ("スタッフ", "Staff"),
    "ss_login": ("ログイン名", "Login name"),
    "ss_staff_stores": ("勤務できる店舗", "May work at"),
    "ss_sessions": ("ログイン中", "Signed in"),
    "ss_active": ("有効", "Active"),
    "ss_disabled": ("停止中", "Disabled"),
    "ss_add_staff": ("スタッフを追加", "Add a staff member"),
    "ss_initial_password": ("初期パスワード (10文字以上)", "First password (10+ characters)"),
    "ss_new_password": ("新しいパスワード (10文字以上)", "New password (10+ characters)"),
    "ss_change_stores": ("店舗を変更", "Change stores"),
    "ss_reset_password": ("パスワードを再設定", "Reset password"),
    "ss_disable": ("利用を停止", "Disable"),
    "ss_enable": ("利用を再開", "Enable"),
    "ss_signs_out": (
        "変更するとこのスタッフはログアウトされます。",
        "Any change signs this staff member out.",
    ),
    "ss_no_stores": (
        "店舗がまだありません。先に店舗を追加してください。",
        "No stores yet: add a store first.",
    ),
    "done_ss_store_added": ("店舗を追加しました。", "The store was added."),
    "done_ss_staff_added": ("スタッフを追加しました。", "The staff member was added."),
    "done_ss_stores_changed": ("勤務できる店舗を変更しました。", "Their stores were changed."),
    "done_ss_password_reset": ("パスワードを再設定しました。", "The password was reset."),
    "done_ss_disabled": ("利用を停止しました。", "The account was disabled."),
    "done_ss_enabled": ("利用を再開しました。", "The account was enabled."),
}
