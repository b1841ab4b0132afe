#!/usr/bin/env python
"""Evaluation report for the sectarian-generalisation detector.

    python bench/eval_detector.py [--verbose] [--data tests/data]

0. A summary table: each set, its figures, and whether it was used in development.
1. Our labelled sets: tests/detection/eval_set.tsv (the v1 rules were written against it),
   tests/data/detector/dev.tsv (the v2 development set) and tests/data/detector/own_test.tsv
   (held out: written before the v2 rewrite, never tuned on): precision / recall / F1, by kind
   (sentence / whole comment); per category and per rule for eval_set.tsv.
2. HateCheck (Röttger et al., 2021, CC BY 4.0): false-flag rate on non-hateful cases whose target
   is a group the detector covers (Muslims, black people); recall on hateful identity-targeted
   cases for those targets; plus the case templates filled with other covered groups.
3. GeniL (Davani et al., 2024, CC BY 4.0): false-flag rate on non-generalising sentences, recall
   on promoting generalisations.

Always exits 0 (it is a report, not a gate; tests/detection holds the gates).
"""

from __future__ import annotations

import argparse
import collections
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from moderation.detection import DETECTOR_VERSION, LEXICON_VERSION, RULES, detect  # noqa: E402

EVAL_SET = ROOT / "tests" / "detection" / "eval_set.tsv"
DEFAULT_DATA = ROOT / "tests" / "data"
DEV_SET = ROOT / "tests" / "data" / "detector" / "dev.tsv"
OWN_TEST = ROOT / "tests" / "data" / "detector" / "own_test.tsv"
BLIND_TEST = ROOT / "tests" / "data" / "detector" / "blind_test.tsv"
BLIND2_TEST = ROOT / "tests" / "data" / "detector" / "blind2_test.tsv"
BLIND3_TEST = ROOT / "tests" / "data" / "detector" / "blind3_test.tsv"
BLIND4_TEST = ROOT / "tests" / "data" / "detector" / "blind4_test.tsv"
TRAIN_SETS = sorted((ROOT / "tests" / "data" / "detector").glob("train_*.tsv"))
SUMMARY: list[tuple[str, str, str]] = []  # (set, figures, used in development)

HC_IN_SCOPE = {"Muslims", "black people"}
HC_NONHATEFUL = {
    "counter_quote_nh",
    "counter_ref_nh",
    "ident_neutral_nh",
    "ident_pos_nh",
    "negate_neg_nh",
    "slur_reclaimed_nh",
}
HC_HATEFUL_IDENTITY = {
    "derog_neg_emote_h",
    "derog_neg_attrib_h",
    "derog_dehum_h",
    "derog_impl_h",
    "threat_dir_h",
    "threat_norm_h",
    "phrase_question_h",
    "phrase_opinion_h",
    "ref_subs_clause_h",
    "ref_subs_sent_h",
    "negate_pos_h",
    "profanity_h",
    "slur_h",
    "spell_char_swap_h",
    "spell_char_del_h",
    "spell_space_del_h",
    "spell_space_add_h",
    "spell_leet_h",
}
# groups used to fill the HateCheck templates: (plural, singular, adjective); religion, sect,
# ethnicity (race included) and nationality. The second half was never used in development.
FILL_GROUPS = [
    ("Kurds", "Kurd", "Kurdish"),
    ("Jews", "Jew", "Jewish"),
    ("Sunnis", "Sunni", "Sunni"),
    ("Syrians", "Syrian", "Syrian"),
    ("Turks", "Turk", "Turkish"),
    ("Alawites", "Alawite", "Alawite"),
    ("Hindus", "Hindu", "Hindu"),
    ("Sikhs", "Sikh", "Sikh"),
    ("Catholics", "Catholic", "Catholic"),
    ("Shias", "Shia", "Shia"),
    ("Druze", "Druze", "Druze"),
    ("Copts", "Copt", "Coptic"),
    ("Roma", "Rom", "Roma"),
    ("Black people", "Black person", "Black"),
    ("Mexicans", "Mexican", "Mexican"),
    ("Chinese people", "Chinese person", "Chinese"),
    ("Nigerians", "Nigerian", "Nigerian"),
    ("Pakistanis", "Pakistani", "Pakistani"),
    ("Ahmadis", "Ahmadi", "Ahmadi"),
    # not used in development from here on
    ("Jains", "Jain", "Jain"),
    ("Mormons", "Mormon", "Mormon"),
    ("Baptists", "Baptist", "Baptist"),
    ("Ismailis", "Ismaili", "Ismaili"),
    ("Yazidis", "Yazidi", "Yazidi"),
    ("Methodists", "Methodist", "Methodist"),
    ("Uyghurs", "Uyghur", "Uyghur"),
    ("Tamils", "Tamil", "Tamil"),
    ("Zulus", "Zulu", "Zulu"),
    ("Hmong people", "Hmong person", "Hmong"),
    ("Native Americans", "Native American", "Native American"),
    ("Basques", "Basque", "Basque"),
    ("Ghanaians", "Ghanaian", "Ghanaian"),
    ("Peruvians", "Peruvian", "Peruvian"),
    ("Latvians", "Latvian", "Latvian"),
    ("Haitians", "Haitian", "Haitian"),
    ("Cambodians", "Cambodian", "Cambodian"),
    ("Moldovans", "Moldovan", "Moldovan"),
]


# index in FILL_GROUPS of the first group never used in development
UNSEEN_FROM = next(i for i, g in enumerate(FILL_GROUPS) if g[0] == "Jains")


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def fmt(p, r, f, n=None):
    s = f"P={p:.3f} R={r:.3f} F1={f:.3f}"
    return s + (f"  (n={n})" if n is not None else "")


def eval_own(verbose):
    rows = list(csv.DictReader(EVAL_SET.open(encoding="utf-8"), delimiter="\t"))
    print(
        f"== Own labelled set: {EVAL_SET.relative_to(ROOT)}  ({len(rows)} comments, lexicon "
        f"{LEXICON_VERSION})"
    )
    results = []
    for r in rows:
        res = detect(r["text"])
        results.append((r, res))
    for split in ("all", "dev", "test", "fresh"):
        tp = fp = fn = tn = 0
        for r, res in results:
            if split != "all" and r["split"] != split:
                continue
            gold = r["label"] != "none"
            if res.flagged and gold:
                tp += 1
            elif res.flagged:
                fp += 1
            elif gold:
                fn += 1
            else:
                tn += 1
        print(
            f"  {split:5s} {fmt(*prf(tp, fp, fn), n=tp + fp + fn + tn)}  tp={tp} fp={fp} fn={fn} "
            f"tn={tn}"
        )
        if split == "all":
            p, r_, f = prf(tp, fp, fn)
            SUMMARY.append(
                (
                    "eval_set.tsv (v1 set, all splits)",
                    f"P={p:.3f} R={r_:.3f} F1={f:.3f} n={tp + fp + fn + tn}",
                    "yes (v1 rules written against it)",
                )
            )
    # severity
    hold_gold = [(r, res) for r, res in results if r["label"] == "hold"]
    hold_ok = sum(1 for r, res in hold_gold if res.severity == "hold")
    hold_pred = [(r, res) for r, res in results if res.severity == "hold"]
    hold_prec = sum(1 for r, res in hold_pred if r["label"] == "hold")
    print(
        f"  hold severity: recall {hold_ok}/{len(hold_gold)}, precision "
        f"{hold_prec}/{len(hold_pred)}"
    )
    # per category
    print("  per category (recall over gold category, precision over predicted category):")
    cats = sorted({r["category"] for r, _ in results if r["category"] != "-"})
    for c in cats:
        gold = [(r, res) for r, res in results if r["category"] == c]
        tp = sum(1 for r, res in gold if res.flagged)
        pred = [(r, res) for r, res in results if res.flagged and res.findings[0].category == c]
        fp = sum(1 for r, res in pred if r["label"] == "none")
        print(f"    {c:12s} {fmt(*prf(tp, fp, len(gold) - tp), n=len(gold))}")
    print(
        "  per rule (recall over gold rule, precision over first predicted rule; rule agreement):"
    )
    for rule in RULES:
        gold = [(r, res) for r, res in results if r["rule"] == rule]
        tp = sum(1 for r, res in gold if res.flagged)
        agree = sum(
            1 for r, res in gold if res.flagged and any(f.rule == rule for f in res.findings)
        )
        pred = [(r, res) for r, res in results if res.flagged and res.findings[0].rule == rule]
        fp = sum(1 for r, res in pred if r["label"] == "none")
        print(
            f"    {rule:23s} {fmt(*prf(tp, fp, len(gold) - tp), n=len(gold))}  "
            f"same-rule={agree}/{len(gold)}  predicted={len(pred)}"
        )
    errors = [(r, res) for r, res in results if res.flagged != (r["label"] != "none")]
    if errors:
        print(f"  errors ({len(errors)}):")
        for r, res in errors[: (None if verbose else 40)]:
            kind = "FP" if res.flagged else "FN"
            extra = f" -> {res.findings[0].rule}: {res.findings[0].match!r}" if res.flagged else ""
            print(f"    {kind} [{r['split']}] {r['text'][:110]!r}{extra}")
    return results


def eval_tsv(path, name, used, verbose):
    """id, label (hold / report / none), kind (sentence / comment), text."""
    if not path.exists():
        print(f"== {name}: {path.relative_to(ROOT)} not found, skipped")
        return
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    print(f"== {name}: {path.relative_to(ROOT)}  ({len(rows)} rows; used in development: {used})")
    results = [(r, detect(r["text"])) for r in rows]
    for kind in ("all", "sentence", "comment"):
        tp = fp = fn = tn = 0
        for r, res in results:
            if kind != "all" and r["kind"] != kind:
                continue
            gold = r["label"] != "none"
            tp += res.flagged and gold
            fp += res.flagged and not gold
            fn += gold and not res.flagged
            tn += not gold and not res.flagged
        if tp + fp + fn + tn == 0:
            continue
        p, r_, f = prf(tp, fp, fn)
        print(f"  {kind:8s} {fmt(p, r_, f, n=tp + fp + fn + tn)}  tp={tp} fp={fp} fn={fn} tn={tn}")
        SUMMARY.append(
            (f"{name} ({kind})", f"P={p:.3f} R={r_:.3f} F1={f:.3f} n={tp + fp + fn + tn}", used)
        )
    hold_gold = [res for r, res in results if r["label"] == "hold"]
    print(
        "  hold severity recall: "
        f"{sum(res.severity == 'hold' for res in hold_gold)}/{len(hold_gold)}"
    )
    if verbose:
        for r, res in results:
            if res.flagged != (r["label"] != "none"):
                kind = "FP" if res.flagged else "FN"
                print(f"    {kind} {r['text'][:140]!r}")


def eval_hatecheck(data, verbose):
    path = data / "hatecheck" / "test_suite_cases.csv"
    if not path.exists():
        print(f"== HateCheck: {path} not found, skipped")
        return
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    print(f"== HateCheck ({path}): in-scope targets {sorted(HC_IN_SCOPE)}")
    nh = [
        r
        for r in rows
        if r["label_gold"] == "non-hateful"
        and r["target_ident"] in HC_IN_SCOPE
        and r["functionality"] in HC_NONHATEFUL
    ]
    flagged = [r for r in nh if detect(r["test_case"]).flagged]
    print(
        f"  non-hateful in-scope false-flag rate: {len(flagged)}/{len(nh)} = "
        f"{len(flagged) / max(1, len(nh)):.2%}  (target <= 2%)"
    )
    per = collections.Counter(r["functionality"] for r in nh)
    perf = collections.Counter(r["functionality"] for r in flagged)
    for fn_ in sorted(per):
        print(f"    {fn_:20s} {perf[fn_]}/{per[fn_]}")
    for r in flagged[: (None if verbose else 10)]:
        print(f"    FP {r['functionality']}: {r['test_case']!r}")
    h = [
        r
        for r in rows
        if r["label_gold"] == "hateful"
        and r["target_ident"] in HC_IN_SCOPE
        and r["functionality"] in HC_HATEFUL_IDENTITY
    ]
    hits = [r for r in h if detect(r["test_case"]).flagged]
    print(
        f"  hateful in-scope identity-targeted recall: {len(hits)}/{len(h)} = "
        f"{len(hits) / max(1, len(h)):.2%}  (report only)"
    )
    per = collections.Counter(r["functionality"] for r in h)
    perf = collections.Counter(r["functionality"] for r in hits)
    for fn_ in sorted(per):
        print(f"    {fn_:20s} {perf[fn_]}/{per[fn_]}")
    if verbose:
        for r in h:
            if r not in hits:
                print(f"    FN {r['functionality']}: {r['test_case']!r}")
    # templates filled with other covered groups
    templates = {}
    for r in rows:
        t = r["case_templ"]
        if (
            "[SLUR" in t
            or "[IDENTITY" not in t
            or "char_del" in t
            or "space_add" in t
            or "leet" in t
        ):
            continue
        if r["functionality"] not in HC_NONHATEFUL | HC_HATEFUL_IDENTITY:
            continue
        if r["functionality"].startswith("spell_"):
            continue
        templates[t] = r["label_gold"]
    nh_n = nh_f = h_n = h_f = 0
    hu_n = hu_f = 0  # hateful cases filled with the groups never used in development
    fps = []
    for t, label in templates.items():
        for gi, (pl, sg, adj) in enumerate(FILL_GROUPS):
            s = (
                t.replace("[IDENTITY_P]", pl)
                .replace("[IDENTITY_S]", sg)
                .replace("[IDENTITY_A]", adj)
            )
            f = detect(s).flagged
            if label == "hateful":
                h_n += 1
                h_f += f
                if gi >= UNSEEN_FROM:
                    hu_n += 1
                    hu_f += f
            else:
                nh_n += 1
                nh_f += f
                if f:
                    fps.append(s)
    print(
        f"  templates filled with {len(FILL_GROUPS)} groups "
        f"({', '.join(g[0] for g in FILL_GROUPS)}): {len(templates)} templates"
    )
    print(
        f"    non-hateful flag rate: {nh_f}/{nh_n} = {nh_f / max(1, nh_n):.2%};  hateful recall: "
        f"{h_f}/{h_n} = {h_f / max(1, h_n):.2%}"
    )
    used = "yes (templates read while writing rules; groups 20-37 unseen)"
    SUMMARY.append(
        (
            f"HateCheck filled, {len(FILL_GROUPS)} groups: hateful recall (no slur/spelling)",
            f"{h_f / max(1, h_n):.3f} ({h_f}/{h_n})",
            used,
        )
    )
    SUMMARY.append(
        (
            f"HateCheck filled, {len(FILL_GROUPS) - UNSEEN_FROM} unseen groups only: hateful "
            "recall",
            f"{hu_f / max(1, hu_n):.3f} ({hu_f}/{hu_n})",
            "templates yes; these groups no",
        )
    )
    SUMMARY.append(
        (
            f"HateCheck filled, {len(FILL_GROUPS)} groups: non-hateful flag rate",
            f"{nh_f / max(1, nh_n):.2%} ({nh_f}/{nh_n})",
            used,
        )
    )
    SUMMARY.append(
        (
            "HateCheck original (Muslims, black people): hateful recall, all incl. spelling",
            f"{len(hits) / max(1, len(h)):.3f} ({len(hits)}/{len(h)})",
            used,
        )
    )
    SUMMARY.append(
        (
            "HateCheck original (Muslims, black people): non-hateful flag rate",
            f"{len(flagged) / max(1, len(nh)):.2%} ({len(flagged)}/{len(nh)})",
            used,
        )
    )
    for s in fps[: (None if verbose else 8)]:
        print(f"    FP {s!r}")


def eval_genil(data, verbose):
    path = data / "genil" / "en.csv"
    if not path.exists():
        print(f"== GeniL: {path} not found, skipped")
        return
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    print(f"== GeniL ({path}): {len(rows)} sentences")
    nong = [r for r in rows if r["generalizing"] == "0"]
    t0 = time.perf_counter()
    flagged = [r for r in nong if detect(r["sentence"]).flagged]
    dt = time.perf_counter() - t0
    print(
        f"  non-generalising false-flag rate: {len(flagged)}/{len(nong)} = "
        f"{len(flagged) / max(1, len(nong)):.2%}  (target <= 1%)  [{dt:.2f}s]"
    )
    SUMMARY.append(
        (
            "GeniL non-generalising: flag rate",
            f"{len(flagged) / max(1, len(nong)):.2%} ({len(flagged)}/{len(nong)})",
            "yes (false flags inspected; the threshold is calibrated on it)",
        )
    )
    for r in flagged[: (None if verbose else 10)]:
        res = detect(r["sentence"])
        print(f"    FP {res.findings[0].rule}: {res.findings[0].match[:120]!r}")
    prom = [r for r in rows if r["promoting"] == "1.0"]
    hits = [r for r in prom if detect(r["sentence"]).flagged]
    print(
        f"  promoting generalisations recall: {len(hits)}/{len(prom)} = "
        f"{len(hits) / max(1, len(prom)):.2%}  (report only; GeniL includes positive stereotypes, "
        "which are out of scope)"
    )
    gen_all = [r for r in rows if r["generalizing"] == "1"]
    hits_all = sum(1 for r in gen_all if detect(r["sentence"]).flagged)
    print(
        f"  all generalising (promoting + mentioning) flagged: {hits_all}/{len(gen_all)} = "
        f"{hits_all / max(1, len(gen_all)):.2%}"
    )


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    print(f"detector {DETECTOR_VERSION}")
    eval_own(args.verbose)
    eval_tsv(DEV_SET, "dev set", "yes", args.verbose)
    for path in TRAIN_SETS:
        used = "yes (the learned model is fitted on it)"
        eval_tsv(path, f"training corpus {path.stem}", used, args.verbose)
    # held-out sets: figures only, never their misses, so nobody tunes on them by reading this
    eval_tsv(OWN_TEST, "own held-out test", "no", False)
    eval_tsv(BLIND_TEST, "blind held-out test (written without seeing the detector)", "no", False)
    eval_tsv(BLIND2_TEST, "second blind held-out test (arrived with detector 3.0)", "no", False)
    eval_tsv(BLIND3_TEST, "third blind held-out test (arrived with detector 3.1)", "no", False)
    eval_tsv(BLIND4_TEST, "fourth blind held-out test (arrived with detector 3.2)", "no", False)
    eval_hatecheck(args.data, args.verbose)
    eval_genil(args.data, args.verbose)
    print()
    print("== Summary")
    width = max(len(a) for a, _, _ in SUMMARY)
    print(f"  {'set':{width}s}  {'figures':34s}  used in development")
    for a, b, c in SUMMARY:
        print(f"  {a:{width}s}  {b:34s}  {c}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
