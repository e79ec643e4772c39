"""The authorisation matrix: who each route is for, declared per app, checked for every actor.

Every HTML view of the URLconf and every operation of the JSON API is tried by
`kechuang/tests/test_authorisation_matrix.py` as each actor below; the expected answer (allowed or refused)
comes from the route's declared rule in its app's `access.py`, never from what the code answers today. A route
without a rule fails the suite. How to add one: docs/permissions.md.

The actors and the world they act in (built once per run, through the services):

* ent_a: the administrator of enterprise 甲 in 南宁 (青秀区); every object a route is tried on belongs to 甲 or
  to 南宁 and to the 科技厅 (the S&T department), unless an app says otherwise;
* ent_b: the administrator of enterprise 乙 in 柳州: "another organisation";
* nanning, liuzhou: reviewers of the two cities' 科技局 (city-scoped officials; liuzhou is "another city");
* science, approver, admin: the 科技厅's province-wide reviewer and approver, and a system administrator;
* finance, industry, tax, statistics: province-wide reviewers of the 财政厅, 工信厅, 税务局 and 统计局;
* finance_approver: a province-wide approver of the 财政厅 (财政会签, payment and the 下达 of money; never the
  approval of another department's round);
* bank, insurer, guarantor: users of a bank, an insurer and a guarantee company;
* expert: a registered review expert (of the university); asean: an ASEAN partner's account (no Chinese
  registry record); university: a researcher of 广西大学;
* anon: not signed in.
"""

from dataclasses import dataclass, field

ANON = "anon"
ENT_A = "ent_a"
ENT_B = "ent_b"
NANNING = "nanning"
LIUZHOU = "liuzhou"
SCIENCE = "science"
APPROVER = "approver"
ADMIN = "admin"
FINANCE = "finance"
FINANCE_APPROVER = "finance_approver"
INDUSTRY = "industry"
TAX = "tax"
STATISTICS = "statistics"
BANK = "bank"
INSURER = "insurer"
GUARANTOR = "guarantor"
EXPERT = "expert"
ASEAN = "asean"
UNIVERSITY = "university"

ACTORS = (
    ANON,
    ENT_A,
    ENT_B,
    NANNING,
    LIUZHOU,
    SCIENCE,
    APPROVER,
    ADMIN,
    FINANCE,
    FINANCE_APPROVER,
    INDUSTRY,
    TAX,
    STATISTICS,
    BANK,
    INSURER,
    GUARANTOR,
    EXPERT,
    ASEAN,
    UNIVERSITY,
)

# Groups (frozensets, combine with | and -).
EVERYONE = frozenset(ACTORS)
SIGNED_IN = EVERYONE - {ANON}
CITY_OFFICIALS = frozenset({NANNING, LIUZHOU})
DEPARTMENT_REVIEWERS = frozenset({FINANCE, INDUSTRY, TAX, STATISTICS})
PROVINCE_OFFICIALS = frozenset({SCIENCE, APPROVER, ADMIN, FINANCE_APPROVER}) | DEPARTMENT_REVIEWERS
OFFICIALS = CITY_OFFICIALS | PROVINCE_OFFICIALS
REVIEWERS = frozenset({NANNING, LIUZHOU, SCIENCE}) | DEPARTMENT_REVIEWERS  # Role.REVIEWER
# Officials whose area covers 南宁 (where the world's objects are): everyone but the 柳州 official.
NANNING_AREA = OFFICIALS - {LIUZHOU}
ENTERPRISES = frozenset({ENT_A, ENT_B})
FINANCIAL = frozenset({BANK, INSURER, GUARANTOR})
# Users acting for a Chinese organisation (Role.MEMBER / ORG_ADMIN).
ORG_USERS = ENTERPRISES | FINANCIAL | {UNIVERSITY}
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rule:
    """Who may use a route. `get`/`post` are the actors allowed for each method (HTML views are tried with both;
    a 405 is never a leak); API operations use `get` for their one method.

    `args` fills the route's parameters: a world object's name (`"round"`, see each app's `objects`) or a literal
    (`"approve"`); parameters named `<name>_id` default to the object `<name>`. `query` is the query string, `data`
    the form of an HTML POST, `body` the JSON body of an API operation (by default a minimal valid body generated
    from its schema); in these, a value `"@round"` is the world object's id. `why` says where the rule comes from.
    """

    get: frozenset[str]
    post: frozenset[str]
    args: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    body: dict | None = None
    why: str = ""
    skip: str = ""


def allow(
    *groups, post=None, args=None, query=None, data=None, body=None, why: str = "", skip: str = ""
) -> Rule:
    """`allow(OFFICIALS, ENT_A)`: these actors (groups or single actors) may, every other actor is refused.
    `post=` gives a different set for POST (e.g. a page everyone may read, a form only some may submit)."""
    actors = _actors(groups)
    return Rule(
        get=actors,
        post=actors if post is None else _actors(post if isinstance(post, tuple) else (post,)),
        args=dict(args or {}),
        query=dict(query or {}),
        data=dict(data or {}),
        body=body,
        why=why,
        skip=skip,
    )


def _actors(groups) -> frozenset[str]:
    out: set[str] = set()
    for g in groups:
        if isinstance(g, str):
            if g not in EVERYONE:
                raise ValueError(f"unknown actor {g!r}; the actors are {', '.join(ACTORS)}")
            out.add(g)
        else:
            out |= set(g)
    return frozenset(out)


PUBLIC = allow(EVERYONE)
