"""Printing: QR opt-in cards, contact cards and follow-up / briefing sheets as PDF.

Everything here is pure Python over reportlab and qrcode, both imported lazily inside the
functions that draw, so importing this package is cheap. Public entry points:

- :func:`netapp.printing.cards.plan_cards`, :func:`~netapp.printing.cards.print_cards`.
- :func:`netapp.printing.sheets.followup_sheet`, :func:`~netapp.printing.sheets.briefing_sheet`.

Card codes themselves (:mod:`netapp.card_codes`) and the batches printed
(:mod:`netapp.store.card_batches`, with ``lookup_card``) sit lower down: opt-ins read them too.
"""
