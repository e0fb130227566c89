"""Clear placeholders for pages that later work fills in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.context import AppContext


def _placeholder(title: str, text: str) -> QWidget:
    w = QWidget()
    w.setObjectName(f"page-{title.lower()}")
    lay = QVBoxLayout(w)
    head = QLabel(f"<h2>{title}</h2>")
    body = QLabel(text)
    body.setWordWrap(True)
    body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    lay.addWidget(head)
    lay.addWidget(body, 1)
    w.setAccessibleName(f"{title} (coming soon)")
    return w


def today(ctx: AppContext) -> QWidget:
    return _placeholder(
        "Today", "Your agenda of follow-ups, value to give and timed asks will appear here."
    )


def meetings(ctx: AppContext) -> QWidget:
    return _placeholder("Meetings", "Groups, meetings and attendance will appear here.")


def referrals(ctx: AppContext) -> QWidget:
    return _placeholder("Referrals", "Referrals given and received will appear here.")


def print_page(ctx: AppContext) -> QWidget:
    return _placeholder("Print", "QR opt-in cards and follow-up sheets will be printed from here.")


def reports(ctx: AppContext) -> QWidget:
    return _placeholder(
        "Reports", "Charts of value over a year, opt-ins and asks will appear here."
    )


def settings(ctx: AppContext) -> QWidget:
    return _placeholder(
        "Settings", "Your profile, cadences and the ask ladder will be edited here."
    )
