"""One claim-id style and one header template for every post of the catalog.

Ids: ``C<n>.<kebab-name>`` for claims, ``N<n>.<kebab-name>`` for negative controls, ``E<n>.<kebab-name>`` for
errata and the two sides of each (what the post says, the correction); the number may carry a sub-step letter
(``C3a``, as the specs number sub-steps), and a claim or control made by dropping a hypothesis is
``<claim id>/drop:<hypothesis>`` (:func:`derivations.engine.hypotheses.dropped`).

Header: the post module's docstring opens with a title line, then the post (author, title, date, URL),
then the sections ``Main results``, ``Hypotheses``, ``Notation``, ``Errata`` (as mathlib's file headers),
in that order; an id it quotes (````C2.optimal-p````) is an id of the derivation.
"""
from __future__ import annotations

import importlib
import re

import pytest

import derivations

KEBAB = r"[a-z0-9]+(?:-[a-z0-9]+)*"
DROP = r"/drop:[A-Za-z0-9]+"
CLAIM = re.compile(rf"C\d+[a-z]?\.{KEBAB}(?:{DROP})?\Z")
CONTROL = re.compile(rf"(?:N\d+[a-z]?\.{KEBAB}|C\d+[a-z]?\.{KEBAB}{DROP})\Z")
ERRATUM = re.compile(rf"E\d+\.{KEBAB}\Z")
SECTIONS = ("Main results", "Hypotheses", "Notation", "Errata")
QUOTED_ID = re.compile(r"``([CNE]\d+[a-z]?\.[^`*]+)``")


def id_problems(d) -> list:
    """The ids of derivation ``d`` that are not in the house style, or repeated."""
    out = [("claim", c.id) for c in d.claims if not CLAIM.match(c.id)]
    out += [("control", c.id) for c in d.controls if not CONTROL.match(c.id)]
    for e in d.errata:
        out += [("erratum", i) for i in (e.id, e.post_says.id, e.correct.id) if not ERRATUM.match(i)]
    ids = [c.id for c in (*d.claims, *d.controls)] + [i for e in d.errata for i in (e.id, e.post_says.id, e.correct.id)]
    return out + [("repeated", i) for i in sorted({i for i in ids if ids.count(i) > 1})]


def _underlined(doc: str) -> list:
    """The section titles of a docstring: lines underlined by a line of dashes as long as they are."""
    lines = doc.splitlines()
    return [a.strip() for a, b in zip(lines, lines[1:]) if a.strip() and re.fullmatch(r"-{3,}", b.strip())
            and len(b.strip()) == len(a.strip())]


def header_problems(doc: str, source: str) -> list:
    """What the module docstring ``doc`` of a post whose URL is ``source`` lacks of the template."""
    doc = doc or ""
    out = []
    lines = doc.strip().splitlines()
    if not lines or not lines[0].strip() or (len(lines) > 1 and lines[1].strip()):
        out.append("no title line")
    sections = _underlined(doc)
    if sections != list(SECTIONS):
        out.append(f"sections {sections}, not {list(SECTIONS)}")
    head = doc.split("Main results")[0]
    if source not in head:
        out.append(f"the post's URL {source} is not before Main results")
    return out


def stale_ids(doc: str, d) -> list:
    """Ids quoted in the header that the derivation does not have."""
    ids = {c.id for c in (*d.claims, *d.controls)} | {i for e in d.errata for i in (e.id, e.post_says.id, e.correct.id)}
    return sorted({m for m in QUOTED_ID.findall(doc or "") if m not in ids})


@pytest.mark.parametrize("slug", list(derivations.CATALOG))
def test_ids_follow_the_house_style(slug):
    assert id_problems(derivations.load(slug)) == []


@pytest.mark.parametrize("slug", list(derivations.CATALOG))
def test_header_follows_the_template(slug):
    d = derivations.load(slug)
    doc = importlib.import_module(derivations.CATALOG[slug]).__doc__
    assert header_problems(doc, d.source) == []
    assert stale_ids(doc, d) == []


# -- the checks can fail ---------------------------------------------------------------------------------------
class _Fake:
    def __init__(self, claims=(), controls=(), errata=()):
        self.claims, self.controls, self.errata = claims, controls, errata


class _Id:
    def __init__(self, id):
        self.id = id


class _Erratum(_Id):
    def __init__(self, id, post, correct):
        super().__init__(id)
        self.post_says, self.correct = _Id(post), _Id(correct)


def test_the_id_check_rejects_every_other_style():
    good = _Fake([_Id("C1.variance"), _Id("C3a.orthogonality"), _Id("C1.integral-test/drop:P")],
                 [_Id("N2.sign-flip"), _Id("C1.chain/drop:H1")],
                 [_Erratum("E1.constants", "E1.post-constants", "E1.corrected-constants")])
    assert id_problems(good) == []
    bad = _Fake([_Id("C1"), _Id("C1.snake_case"), _Id("lion.C1.closed-form"), _Id("C2.Upper-Case"), _Id("R1.zeta"),
                 _Id("C1.variance")],
                [_Id("C1.wrong-order"), _Id("N1.variance ")],
                [_Erratum("E1.constants", "post-constants", "E1.corrected-constants"), _Erratum("C1.variance", "E2.a", "E2.b")])
    assert id_problems(bad) == [
        ("claim", "C1"), ("claim", "C1.snake_case"), ("claim", "lion.C1.closed-form"), ("claim", "C2.Upper-Case"),
        ("claim", "R1.zeta"), ("control", "C1.wrong-order"), ("control", "N1.variance "), ("erratum", "post-constants"),
        ("erratum", "C1.variance"), ("repeated", "C1.variance")]


GOOD_HEADER = """Title of the post.

Post: Someone, "Title", 2024-01-01, https://example.org/1.

Main results
------------
* ``C1.variance``: a result.

Hypotheses
----------
None.

Notation
--------
None.

Errata
------
None.
"""


def test_the_header_check_rejects_a_header_off_the_template():
    assert header_problems(GOOD_HEADER, "https://example.org/1") == []
    assert stale_ids(GOOD_HEADER, _Fake([_Id("C1.variance")])) == []
    assert stale_ids(GOOD_HEADER, _Fake([_Id("C1.var")])) == ["C1.variance"]
    swapped = GOOD_HEADER.replace("Hypotheses\n----------", "Hyp\n---").replace("Notation\n--------", "Hypotheses\n----------")
    assert header_problems(swapped, "https://example.org/1") == ["sections ['Main results', 'Hyp', 'Hypotheses', 'Errata'], "
                                                                 "not ['Main results', 'Hypotheses', 'Notation', 'Errata']"]
    late_url = GOOD_HEADER.replace("https://example.org/1", "") + "\nhttps://example.org/1\n"
    assert header_problems(late_url, "https://example.org/1") == [
        "the post's URL https://example.org/1 is not before Main results"]
    assert header_problems("Title\nrunning on\n" + GOOD_HEADER, "https://example.org/1") == ["no title line"]
