"""The console's participating stores page (加盟店: applications, approvals, QR posters): key:
(日本語, English)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "cst_title": ("加盟店（キャンペーン）", "Participating stores (campaigns)"),  # noqa: RUF001
    "cst_pending": ("審査待ちの申込", "Applications to review"),
    "cst_no_pending": ("審査待ちの申込はありません。", "No application waits for review."),
    "cst_decided": ("審査済みの申込", "Decided applications"),
    "cst_stores": ("加盟店とQRポスター", "Participating stores and their QR posters"),
    "cst_no_stores": ("加盟店はまだありません。", "No participating store yet."),
    "cst_store": ("店舗", "Store"),
    "cst_category": ("業種", "Category"),
    "cst_local": ("中小店舗", "Small local shop"),
    "cst_local_yes": ("中小店舗（専用券可）", "Small local shop (専用券 accepted)"),  # noqa: RUF001
    "cst_local_no": ("大型店等（共通券のみ）", "Other store (共通券 only)"),  # noqa: RUF001
    "cst_contact": ("連絡先", "Contact"),
    "cst_account": ("振込先口座", "Bank account"),
    "cst_applied": ("申込日時", "Applied"),
    "cst_status": ("状態", "Status"),
    "cst_status_pending": ("審査待ち", "Pending"),
    "cst_status_approved": ("承認", "Approved"),
    "cst_status_rejected": ("却下", "Rejected"),
    "cst_approve": ("承認する", "Approve"),
    "cst_reject": ("却下する", "Reject"),
    "cst_reason": ("却下の理由（申込者にメールで伝えます）", "Reason (mailed to the applicant)"),  # noqa: RUF001
    "cst_code": ("店舗コード", "Store code"),
    "cst_poster": ("QRポスター（PDF）", "QR poster (PDF)"),  # noqa: RUF001
    "cst_apply_link": (
        "店舗の申込ページ（ログイン不要）: ",  # noqa: RUF001
        "The stores' application page (no sign-in): ",
    ),
    "cst_ordinary": ("普通", "Ordinary"),
    "cst_current": ("当座", "Current"),
    "done_cst_approved": (
        "承認しました。加盟店を登録し、申込者にメールしました。",
        "Approved: the store is registered and the applicant mailed.",
    ),
    "done_cst_approved_unmailed": (
        "承認しました。メールを送れませんでした。申込者に直接お知らせください。",
        "Approved, but the mail could not be sent: tell the applicant yourself.",
    ),
    "done_cst_rejected": (
        "却下し、申込者に理由をメールしました。",
        "Rejected; the applicant was mailed the reason.",
    ),
    "done_cst_rejected_unmailed": (
        "却下しました。メールを送れませんでした。申込者に直接お知らせください。",
        "Rejected, but the mail could not be sent: tell the applicant yourself.",
    ),
}
