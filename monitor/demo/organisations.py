"""Demo organisations: ~250 invented employers across Limburg, plus the real schools and bodies."""

import random

from surveys.models import Organisation

#: municipalities per arbeidsmarktregio (all named in or near the seed documents)
MUNICIPALITIES = {
    "Noord-Limburg": ["Venlo", "Venray", "Horst aan de Maas", "Peel en Maas", "Gennep", "Beesel"],
    "Midden-Limburg": ["Roermond", "Weert", "Leudal", "Maasgouw", "Echt-Susteren", "Roerdalen"],
    "Zuid-Limburg": [
        "Maastricht", "Heerlen", "Sittard-Geleen", "Kerkrade", "Landgraaf", "Brunssum",
        "Stein", "Beek", "Valkenburg aan de Geul", "Eijsden-Margraten",
    ],
}  # fmt: skip
#: employers per region, roughly following the region's working population
REGION_WEIGHTS = {"Noord-Limburg": 0.30, "Midden-Limburg": 0.22, "Zuid-Limburg": 0.48}
#: sector mix per region: care and (process) industry in the south, logistics and
#: horticulture in the north, technology and metal in the middle
SECTOR_WEIGHTS = {
    "Noord-Limburg": {
        "zorg en welzijn": 16, "industrie en chemie": 8, "techniek en metaal": 15, "bouw": 10,
        "ICT": 6, "logistiek": 18, "detailhandel": 10, "landbouw": 12,
        "zakelijke dienstverlening": 5,
    },
    "Midden-Limburg": {
        "zorg en welzijn": 16, "industrie en chemie": 10, "techniek en metaal": 20, "bouw": 12,
        "ICT": 7, "logistiek": 13, "detailhandel": 10, "landbouw": 6,
        "zakelijke dienstverlening": 6,
    },
    "Zuid-Limburg": {
        "zorg en welzijn": 22, "industrie en chemie": 18, "techniek en metaal": 13, "bouw": 9,
        "ICT": 10, "logistiek": 7, "detailhandel": 9, "landbouw": 2,
        "zakelijke dienstverlening": 10,
    },
}  # fmt: skip
#: most employers in the HR-scan pilot are SMEs
SIZE_WEIGHTS = {"1-9": 0.30, "10-49": 0.42, "50-249": 0.21, "250+": 0.07}

_NAME_PARTS = {
    "zorg en welzijn": (["Zorggroep", "Thuiszorg", "Zorgcentrum", "Welzijn"], ["BV", ""]),
    "industrie en chemie": (["Polymeren", "Chemie", "Procestechniek", "Coatings"], ["BV", "NV"]),
    "techniek en metaal": (["Metaal", "Installatietechniek", "Machinebouw", "Elektro"], ["BV"]),
    "bouw": (["Bouw", "Aannemers", "Renovatie", "Infra"], ["BV", "VOF"]),
    "ICT": (["IT", "Software", "Data", "Digital"], ["BV"]),
    "logistiek": (["Logistiek", "Transport", "Distributie", "Warehousing"], ["BV"]),
    "detailhandel": (["Winkels", "Mode", "Wonen", "Versmarkt"], ["BV", ""]),
    "landbouw": (["Kwekerij", "Tuinbouw", "Champignons", "Akkerbouw"], ["BV", "VOF"]),
    "zakelijke dienstverlening": (["Advies", "Accountants", "Personeelsdiensten"], ["BV"]),
}
_PLACE_WORDS = [
    "Maasdal", "Heuvelland", "Geuldal", "Peelrand", "Roerstreek", "Mergelland", "Kempen",
    "Groene Loper", "Schinveld", "Brightland", "Kasteelhof", "Wilhelmina", "Vijlenerbos",
    "Merkelbeek", "Maasbracht", "Swalmen", "Beekdaal", "Vrijthof", "Parkstad", "Noorderpoort",
]  # fmt: skip

#: the real schools and bodies of the network (names may be used; people never)
NETWORK_BODIES = [
    ("VISTA college", "onderwijs", "onderwijs", "Zuid-Limburg", "Sittard-Geleen"),
    ("Zuyd Hogeschool", "onderwijs", "onderwijs", "Zuid-Limburg", "Heerlen"),
    ("Gilde Opleidingen", "onderwijs", "onderwijs", "Midden-Limburg", "Roermond"),
    ("Leo Loopbaan", "intermediair", "zakelijke dienstverlening", "Zuid-Limburg", "Maastricht"),
    ("LWV", "intermediair", "zakelijke dienstverlening", "Zuid-Limburg", "Maastricht"),
    ("MKB Limburg", "intermediair", "zakelijke dienstverlening", "Midden-Limburg", "Roermond"),
    ("Provincie Limburg", "overheid", "overheid", "Zuid-Limburg", "Maastricht"),
]

N_EMPLOYERS = 250


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def make_organisations(rng: random.Random) -> list[Organisation]:
    """The demo's organisations, deterministic for a given `rng` state."""
    orgs: list[Organisation] = []
    names: set[str] = set()
    while len(orgs) < N_EMPLOYERS:
        region = _pick(rng, REGION_WEIGHTS)
        sector = _pick(rng, SECTOR_WEIGHTS[region])
        words, suffixes = _NAME_PARTS[sector]
        name = f"{rng.choice(_PLACE_WORDS)} {rng.choice(words)} {rng.choice(suffixes)}".strip()
        if name in names:
            continue
        names.add(name)
        orgs.append(
            Organisation(
                name=name,
                kind="werkgever",
                sector=sector,
                size_class=_pick(rng, SIZE_WEIGHTS),
                region=region,
                municipality=rng.choice(MUNICIPALITIES[region]),
                kvk_number=f"{rng.randrange(10**7, 10**8)}",
            )
        )
    orgs += [
        Organisation(name=n, kind=k, sector=s, region=r, municipality=m, size_class="250+")
        for n, k, s, r, m in NETWORK_BODIES
    ]
    return orgs
