"""SMS length in GSM-7 and UCS-2 (what the compose form's counter shows)."""

import pytest

from messaging.sms import sms_length


@pytest.mark.parametrize(
    ("text", "encoding", "characters", "segments"),
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),  # the extension table's characters take two septets
        ("€" + "a" * 159, "GSM-7", 161, 2),
        ("Inbraak in de Kerkstraat: bel 101", "GSM-7", 33, 1),
        ("Cambriolage à Liège: appelez le 101", "GSM-7", 35, 1),  # à and è are in the GSM-7 alphabet
        ("Fenêtre forcée: appelez le 101", "UCS-2", 30, 1),  # ê is not
        ("ç" * 70, "UCS-2", 70, 1),
        ("ç" * 71, "UCS-2", 71, 2),
        ("ç" * 135, "UCS-2", 135, 3),
        ("🙂", "UCS-2", 2, 1),  # outside the BMP: a surrogate pair
    ],
)
def test_it_counts_characters_and_segments(text, encoding, characters, segments):
    length = sms_length(text)
    assert (length.encoding, length.characters, length.segments) == (encoding, characters, segments)
