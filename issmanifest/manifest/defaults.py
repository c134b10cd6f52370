"""What every manifest knows without saying: the usual agencies and crew vehicles.

A manifest's own `[agencies]` and `[vehicles]` entries add to these or replace
one of the same name.
"""

from __future__ import annotations

from datetime import date

from issmanifest.manifest.model import Agency, AgencyName, Vehicle, When

# The Russian agency's renamings: Rosaviakosmos (RKA) until 2004-03-09, the
# Federal Space Agency until the State Corporation took over on 2015-12-28.
ROSCOSMOS_FORMER_NAMES = (
    AgencyName("Rosaviakosmos", When.of(date(2004, 3, 9))),
    AgencyName("Federal Space Agency", When.of(date(2015, 12, 28))),
)

AGENCIES: dict[str, Agency] = {
    agency.name: agency
    for agency in (
        Agency("NASA", "US"),
        Agency("Roscosmos", "RU", ("RKA", "State Corporation Roscosmos"), ROSCOSMOS_FORMER_NAMES),
        Agency("ESA", None),
        Agency("JAXA", "JP"),
        Agency("CSA", "CA"),
        Agency("ISRO", "IN"),
        Agency("CNSA", "CN"),
        Agency("CMSA", "CN", ("China Manned Space Agency",)),  # crewed flights; CNSA is the national space agency
        Agency("MBRSC", "AE"),
    )
}

# A vehicle's provider is the agency whose vehicle it is: a seat on it is that agency's to give.
# Seats are the crew a vehicle can carry home. A Shuttle was a lifeboat only for
# the people assigned to come down on it. Docked life bounds `margins --handover`:
# Soyuz MS, 210 days (design life docked to the ISS, Wikipedia's Soyuz MS article);
# Crew Dragon, 210 days (NASA's Commercial Crew press kit for Demo-2, 2020: the
# operational vehicle "capable of staying in orbit for at least 210 days").
# Flights have since been scheduled longer (Soyuz MS-23 213 days, Crew-8 233,
# Soyuz MS-27 245): docs/whatif.md says how margins treat them. Shenzhou has no
# docked life here: the reference (tiangong-2021-2026) gives none, only stays of
# about six months and Shenzhou-20's 270 days.
VEHICLES: dict[str, Vehicle] = {
    vehicle.name: vehicle
    for vehicle in (
        Vehicle("Soyuz TM", 3, provider="Roscosmos"),
        Vehicle("Soyuz TMA", 3, provider="Roscosmos"),
        Vehicle("Soyuz TMA-M", 3, provider="Roscosmos"),
        Vehicle("Soyuz MS", 3, max_docked_days=210, provider="Roscosmos"),
        Vehicle("Crew Dragon", 4, max_docked_days=210, provider="NASA"),  # NASA's Commercial Crew vehicles
        Vehicle("Starliner", 4, provider="NASA"),
        Vehicle("Space Shuttle", 8, lifeboat="assigned", provider="NASA"),
        Vehicle("Shenzhou", 3, provider="CMSA"),
    )
}
