"""Vietnamese text helpers of the service: the platform's, in one import."""

from exemplar.text import fold, nfc

__all__ = ["fold", "nfc"]
