"""SMS length: characters and segments in the GSM 03.38 7-bit alphabet, or UCS-2 when a character is outside it.

A single GSM-7 SMS holds 160 septets (153 per part when concatenated); the extension table's characters take two.
UCS-2 holds 70 UTF-16 code units (67 per part). The compose form shows the same figures live: static/messaging/
compose.js implements these rules too, and a browser test compares both."""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = "^{}\\[~]|€\f"
_BASIC = frozenset(GSM7_BASIC) - {"\x1b"}
_EXTENSION = frozenset(GSM7_EXTENSION)


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "GSM-7" or "UCS-2"
    characters: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int
    per_segment: int


def sms_length(text: str) -> SmsLength:
    if all(ch in _BASIC or ch in _EXTENSION for ch in text):
        units = sum(2 if ch in _EXTENSION else 1 for ch in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, "UCS-2"
    if units == 0:
        return SmsLength(encoding, 0, 0, single)
    if units <= single:
        return SmsLength(encoding, units, 1, single)
    return SmsLength(encoding, units, -(-units // multi), multi)
