"""What the engine works out from one manifest, worked out once and handed to whatever asks.

An `Analysis` holds a manifest's pairing of flights into stays, the sorted events of
everything known to the minute, and its timelines under each placement of bare dates,
each made when first asked for. It belongs to the manifest it was made from: nothing
module-level remembers a manifest, so a changed copy (`manifest._replace(...)`) gets an
analysis of its own.
"""

from issmanifest.engine.stays import Pairing, Stay, pair_stays
from issmanifest.engine.timeline import STRIDE, ExactEvents, Placement, Timeline, build_timeline, exact_events
from issmanifest.engine.timeline import has_bare_dates as _has_bare_dates
from issmanifest.manifest.model import Manifest


class Analysis:
    """One manifest's stays, events and timelines, each computed when first asked for."""

    def __init__(self, manifest: Manifest, since: int | None = None, *, stride: int = STRIDE) -> None:
        """`since`: only questions about that instant and after will be asked of the timelines.

        `stride`: events between the checkpoints of each timeline's sweeps.
        """
        self.manifest = manifest
        self.since = since
        self.stride = stride
        self.bare = _has_bare_dates(manifest)
        self._pairing: Pairing | None = None
        self._exact: ExactEvents | None = None
        self._built: dict[Placement, Timeline] = {}

    @classmethod
    def of(cls, manifest: Manifest, since: int | None = None, *, stride: int = STRIDE) -> "Analysis":
        return cls(manifest, since, stride=stride)

    def restrided(self, stride: int) -> "Analysis":
        """The same analysis with a checkpoint every `stride` events, sharing what is already worked out."""
        other = Analysis(self.manifest, self.since, stride=stride)
        other._pairing, other._exact = self._pairing, self._exact
        return other

    @property
    def pairing(self) -> Pairing:
        if self._pairing is None:
            self._pairing = pair_stays(self.manifest)
        return self._pairing

    @property
    def stays(self) -> tuple[Stay, ...]:
        return self.pairing.stays

    @property
    def open_ended(self) -> bool:
        """Whether anyone is still aboard after the last known event: a stay with no end."""
        return any(stay.end is None for stay in self.stays)

    def nominal(self) -> Timeline:
        return self[Placement.NOMINAL]

    def __getitem__(self, placement: Placement) -> Timeline:
        """The timeline under a placement of bare dates (without bare dates, every placement is one timeline)."""
        if not self.bare:
            placement = next(iter(self._built), Placement.NOMINAL)
        if placement not in self._built:
            if self._exact is None:
                self._exact = exact_events(self.manifest, self.stays, self.since)
            self._built[placement] = build_timeline(
                self.manifest, placement, self.since, stays=self.stays, exact=self._exact, stride=self.stride
            )
        return self._built[placement]
