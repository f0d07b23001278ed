#!/usr/bin/env python3
"""Silver check of extraction on the White House corpus (issue 6).

The corpus is unlabelled, but many titles label themselves:

* "Readout of President Biden's Call with Prime Minister Draghi of Italy"
  names the kind (call, meeting, virtual meeting) and the counterpart, so the
  document should yield an engagement of that kind with that counterpart
  (recall);
* domestic readouts (roundtables, governors, mayors, CEOs, unions,
  legislators ...), "Key Nominations" and other nominations, proclamations and
  letters to Congress should yield no engagement at all (false positives).

The script runs the real command line (`readout import` into a fresh
database, then `readout export --format json`), reads each document's title
from its own YAML front matter (not from Readout, so a header bug in Readout
cannot hide a failure), and prints both figures and the lists of failures.

Usage:
  scripts/silver_check.py [--bin target/release/readout] [--db /tmp/silver.db]
                          [--keep-db] [CORPUS]
CORPUS defaults to ../shared/corpus/whitehouse-2021-2022. Standard library
only. Exit code 0 whatever the figures: it is a benchmark, not a test.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

DEFAULT_CORPUS = "../shared/corpus/whitehouse-2021-2022"

# Offices that make a title's counterpart foreign. Domestic offices are
# checked first (a "Governor" or "Speaker" is never a foreign counterpart).
FOREIGN_OFFICE = re.compile(
    r"\b(prime minister|president|chancellor|king|queen|amir|emir|crown prince|"
    r"sultan|sheikh|pope|his holiness|his majesty|her majesty|taoiseach|premier|"
    r"secretary[- ]general|director[- ]general|foreign minister|minister|"
    r"state councilor|general secretary|chairman|chair|leaders? of|"
    r"counterparts?|nato|g7|g20|asean|quad|european|african union)\b",
    re.I,
)

# What makes a title domestic (a convening of Americans). Matched on the
# whole title, so "Readout of White House Roundtable with Nurses" counts.
DOMESTIC = re.compile(
    r"\b(governors?|mayors?|lieutenant governor|county|state legislat\w*|"
    r"legislators?|lawmakers?|senators?|senate|congressional|congress\w*|committee chair|"
    r"members of (the )?(house|senate|congress)|speaker|leader (schumer|mcconnell|pelosi|mccarthy|jeffries)|"
    r"house (leadership|democrats|republicans)|senate (democrats|republicans)|caucus|"
    r"roundtables?|listening sessions?|convenings?|summit on|"
    r"ceos?|business(es)? leaders?|executives?|companies|industry|retailers|"
    r"(?<!african )(?<!european )unions?|labor leaders?|workers?|advocates?|stakeholders?|"
    r"civil rights|faith leaders?|tribal|sovereign nations?|elected officials?|"
    r"attorneys general|task force|interagency|council on|white house council|"
    r"president's council|council of advisors|pcast|cabinet (meeting|members?)|fema|national hurricane|hurricane|wildfire|tornado|"
    r"americans?|latino|black|asian american|lgbtqi\+?|reproductive|"
    r"veterans?|military famil\w*|nurses|doctors|(?<!world )health|university|universities|"
    r"college|students|teachers|landlords|tenants?|farmers|mining|energy sector|"
    r"supply chain|broadband|infrastructure|climate task|sports|"
    r"state and local|local officials|first responders|police|law enforcement)\b",
    re.I,
)

NOMINATION = re.compile(r"\bnominat(e|es|ed|ion|ions)\b|\bkey nominations?\b|"
                        r"\bintent to (nominate|appoint)\b|\bappoint(s|ment|ments)?\b", re.I)
PROCLAMATION = re.compile(r"\bproclamation\b|\bproclaims?\b", re.I)
LETTER_TO_CONGRESS = re.compile(
    r"\b(letter|message) to (the )?(speaker|congress|senate|house|president pro tempore|"
    r"chairm[ae]n|congressional)|\bletter to the speaker\b|\bto the congress\b", re.I)

READOUT_CALL_MEETING = re.compile(
    r"^readout of (?P<us>.*?)\b(?P<kind>phone call|video call|call|virtual meeting|"
    r"virtual bilateral meeting|bilateral meeting|meeting|videoconference|video conference)s?"
    r"\s+with\s+(?P<x>.+)$",
    re.I,
)

# Words of a counterpart phrase that do not identify anyone.
STOP = set("""
the of and with his her their on in to for a an at by from during ahead advance
prime minister president vice chancellor king queen amir emir crown prince sultan
sheikh his holiness majesty royal highness excellency pope taoiseach premier
secretary general director foreign minister state councilor chairman chair
leader leaders counterpart counterparts republic kingdom federal people
peoples democratic united states elect designate new first call meeting
bin al bint ibn el de la da van von der du le
""".split())


def fold(text):
    """Lower-case ASCII, apostrophes and punctuation to spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def unquote_double(body):
    """A YAML double-quoted scalar: escapes, folded lines, escaped line breaks."""
    out = []
    i = 0
    pending_space = False
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            n = body[i + 1]
            if n == "\n":  # escaped line break: join without a space
                i += 2
                while i < len(body) and body[i] in " \t":
                    i += 1
                continue
            simple = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "/": "/",
                      "_": "\u00a0", " ": " ", "0": "\0", "N": "\u0085",
                      "L": "\u2028", "P": "\u2029", "a": "\a", "b": "\b",
                      "e": "\x1b", "f": "\f", "r": "\r", "v": "\v"}
            if n in simple:
                out.append(simple[n])
                i += 2
                continue
            width = {"x": 2, "u": 4, "U": 8}.get(n)
            if width:
                try:
                    out.append(chr(int(body[i + 2:i + 2 + width], 16)))
                except ValueError:
                    pass
                i += 2 + width
                continue
            out.append(n)
            i += 2
            continue
        if c == "\n":  # folded line: one space
            while out and out[-1] in " \t":
                out.pop()
            i += 1
            while i < len(body) and body[i] in " \t":
                i += 1
            pending_space = True
            continue
        if pending_space:
            out.append(" ")
            pending_space = False
        out.append(c)
        i += 1
    return "".join(out)


def front_matter_title(path):
    """The `title:` of a document's YAML front matter, or None."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read(20000)
    except OSError:
        return None
    if not text.startswith("---"):
        return None
    end = text.find("\n---", 3)
    header = text[3:end if end > 0 else len(text)]
    m = re.search(r"^title:[ \t]*(.*)$", header, re.M)
    if not m:
        return None
    rest = header[m.start(1):]
    if rest.startswith('"'):
        j = 1
        while j < len(rest):
            if rest[j] == "\\":
                j += 2
                continue
            if rest[j] == '"':
                break
            j += 1
        return unquote_double(rest[1:j])
    if rest.startswith("'"):
        j = 1
        buf = []
        while j < len(rest):
            if rest[j] == "'" and rest[j + 1:j + 2] == "'":
                buf.append("'")
                j += 2
                continue
            if rest[j] == "'":
                break
            buf.append(rest[j])
            j += 1
        return re.sub(r"\s*\n\s*", " ", "".join(buf))
    # Plain scalar, possibly continued on more-indented lines.
    lines = [m.group(1)]
    for line in header[m.end():].split("\n")[1:]:
        if line.startswith((" ", "\t")) and line.strip():
            lines.append(line.strip())
        else:
            break
    return " ".join(lines).strip()


def expected_kind(word):
    word = word.lower()
    if "virtual" in word or "video" in word:
        return {"video_call"}
    if "call" in word:
        return {"call"}
    return {"meeting"}


def counterpart_phrase(x):
    """The counterpart part of "with X": cut at what the title adds after it."""
    x = re.split(r"\s+(?:on|to discuss|ahead of|in advance of|during|at the|regarding|"
                 r"following|after)\s+", x, maxsplit=1, flags=re.I)[0]
    return x


def classify(title):
    """('call_meeting', kind set, X) | ('negative', reason) | None."""
    t = title.replace("\u00a0", " ").replace("\u2019", "'").strip()
    m = READOUT_CALL_MEETING.match(t)
    if m:
        x = counterpart_phrase(m.group("x"))
        if DOMESTIC.search(t):
            return ("negative", "domestic readout")
        if FOREIGN_OFFICE.search(x):
            return ("call_meeting", expected_kind(m.group("kind")), x)
        return None  # a readout with someone of unknown side: not a label
    if t.lower().startswith("readout") and DOMESTIC.search(t):
        return ("negative", "domestic readout")
    if NOMINATION.search(t):
        return ("negative", "nominations")
    if PROCLAMATION.search(t):
        return ("negative", "proclamation")
    if LETTER_TO_CONGRESS.search(t):
        return ("negative", "letter to Congress")
    return None


def names_of(engagement):
    """Folded identifying words of an engagement's counterparts."""
    words = set()
    for p in engagement.get("participants", []):
        if p.get("side") == "counterpart":
            words.update(w for w in fold(p.get("name", "")).split() if w not in STOP and len(w) > 2)
    for o in engagement.get("organizations", []):
        for key in ("name", "short_name"):
            if o.get(key):
                words.add(fold(o[key]))
    return words


def mentions_x(engagement, x):
    folded = " " + fold(x) + " "
    return any(" " + w + " " in folded for w in names_of(engagement))


def describe(engagement):
    people = ", ".join(p["name"] for p in engagement.get("participants", [])
                       if p.get("side") == "counterpart") or "-"
    orgs = ", ".join(o.get("short_name") or o["name"] for o in engagement.get("organizations", []))
    return f"{engagement['kind']} with {people}{' + ' + orgs if orgs else ''}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", default=DEFAULT_CORPUS)
    ap.add_argument("--bin", default="target/release/readout")
    ap.add_argument("--db", help="database to create (default: a temp file)")
    ap.add_argument("--keep-db", action="store_true", help="keep the temp database")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="silver-")
    db = args.db or os.path.join(tmp, "silver.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    imp = subprocess.run([args.bin, "import", "--db", db, args.corpus],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    summary = [l for l in imp.stdout.splitlines() if l.startswith("imported ")]
    print(f"import exit {imp.returncode}: {summary[-1] if summary else imp.stderr[-500:]}")
    exp = subprocess.run([args.bin, "export", "--db", db, "--format", "json"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=True)
    engagements = json.loads(exp.stdout)["engagements"]
    by_doc = {}
    for e in engagements:
        for s in e.get("sources", []):
            by_doc.setdefault(s["document"], []).append(e)

    positives, negatives = [], []
    for root, _dirs, files in os.walk(args.corpus):
        for name in sorted(files):
            if not name.endswith((".md", ".txt")):
                continue
            title = front_matter_title(os.path.join(root, name))
            if not title:
                continue
            label = classify(title)
            if label is None:
                continue
            found = by_doc.get(name, [])
            if label[0] == "call_meeting":
                _, kinds, x = label
                ok = any(e["kind"] in kinds and mentions_x(e, x) for e in found)
                positives.append((name, title, kinds, x, ok, found))
            else:
                negatives.append((name, title, label[1], found))

    hit = sum(1 for p in positives if p[4])
    fp = [n for n in negatives if n[3]]
    print()
    print(f'recall: {hit}/{len(positives)} = {100.0 * hit / max(1, len(positives)):.1f} % of '
          f'"Readout of ... Call/Meeting with X" documents yield an engagement with X of the right kind')
    print(f"false positives: {len(fp)}/{len(negatives)} = {100.0 * len(fp) / max(1, len(negatives)):.1f} % "
          f"of domestic readouts, nominations, proclamations and letters yield any engagement")
    by_reason = {}
    for n in negatives:
        r = by_reason.setdefault(n[2], [0, 0])
        r[0] += 1
        r[1] += 1 if n[3] else 0
    for reason, (total, bad) in sorted(by_reason.items()):
        print(f"  {reason}: {bad}/{total}")

    print("\n## recall failures (document | title | expected | found)")
    for name, title, kinds, x, ok, found in positives:
        if ok:
            continue
        got = "; ".join(describe(e) for e in found) or "no engagement"
        print(f"- {name}\n    title: {title}\n    expected: {'/'.join(sorted(kinds))} with {x}\n    found: {got}")
    print("\n## false positives (document | class | found)")
    for name, title, reason, found in fp:
        got = "; ".join(describe(e) for e in found)
        print(f"- {name} [{reason}]\n    title: {title}\n    found: {got}")
    if not args.db and not args.keep_db:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        os.rmdir(tmp)
    elif not args.db:
        print(f"\ndatabase kept at {db}", file=sys.stderr)


if __name__ == "__main__":
    main()
