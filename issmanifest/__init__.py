"""issmanifest: who is aboard the International Space Station, and does continuity hold."""

__version__ = "0.1.0"
