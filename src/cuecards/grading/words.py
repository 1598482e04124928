"""The grader's vocabulary: stop words, negation and dismissal cues, generic
words, plain synonyms and the abbreviations candidates type.

Plain data, no logic. Every list holds words as typed; the grader puts them
through the same normal form as the answer (:func:`cuecards.grading.textnorm.norm`)
before comparing, so "gives" and "give" are one generic word.
"""

from __future__ import annotations

# fmt: off
STOP_WORDS = frozenset([
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "as", "into",
    "onto", "about", "over", "under", "down", "out", "is", "are", "was", "were", "be",
    "been", "being", "am", "it", "its", "it's", "this", "that", "these", "those", "there",
    "here", "their", "theirs", "they", "them", "we", "our", "ours", "us", "you", "your",
    "yours", "i", "me", "my", "he", "she", "his", "her", "him", "but", "if", "then", "than",
    "so", "such", "very", "can", "could", "should", "would", "will", "shall", "may", "might",
    "must", "do", "does", "did", "done", "doing", "has", "have", "had", "having", "just",
    "also", "only", "more", "most", "some", "any", "each", "which", "who", "whom", "whose",
    "what", "when", "where", "why", "how", "all", "both", "few", "other", "own", "same", "too",
    "s", "t", "ll", "re", "ve", "d", "m", "etc", "e", "g", "eg", "ie", "via", "per", "within",
    "across", "and", "or", "vs", "versus", "against", "nor", "plus", "while", "whereas",
    "because", "although", "though", "since", "yet", "however", "like", "really", "well",
    "okay", "ok", "so", "actually", "basically", "i'd", "i'm", "we'd", "we'll", "we're",
    "let's", "let", "one's", "that's", "there's", "what's", "here's", "who's"
])

# Words that deny what they govern; "n't" endings count too.
NEGATIONS = frozenset([
    "not", "no", "never", "without", "nor", "neither", "none", "nothing", "nobody", "cannot",
    "cant", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "wont", "shouldnt",
    "wouldnt", "couldnt", "ignore", "ignoring", "ignored", "ignores", "skip", "skipping",
    "skipped", "skips",
    "omit", "omits", "omitting", "neglect", "neglects", "lack", "lacks", "lacking",
    "instead", "rather", "drop", "dropping", "forget"
])
# Cues that deny only what follows them in the clause ("X instead of Y").
FORWARD_NEGATIONS = frozenset(["without", "instead", "rather", "no", "none"])
# Softer cues: they count only against a point that is itself a negative
# ("not shipping blindly" ~ "avoid shipping blindly").
SOFT_NEGATIONS = frozenset([
    "avoid", "avoids", "avoiding", "prevent", "prevents", "preventing", "stop", "stops",
    "stopping"
])
# "not only X", "not just X": X is still asserted.
NEGATION_RELEASE = frozenset(["only", "just", "merely", "simply", "solely"])
# "without sacrificing X": X is still what is kept.
NEGATION_FLIP = ("sacrific", "hurt", "los", "lose", "compromis", "harm", "break", "trad", "giv")

# A clause that waves its subject away: "X is a waste of time", "X later".
DISMISSALS = frozenset([
    "waste", "overrated", "myth", "nonsense", "irrelevant", "optional", "unnecessary",
    "needless", "pointless",
    "overkill", "later", "eventually", "someday", "tbd", "afterthought", "bother", "nah"
])
DISMISSAL_PHRASES = (
    "after launch", "nice to have", "can wait", "n/a", "down the road", "not needed",
    "not important", "not necessary", "doesn't matter", "don't matter", "not a priority",
    "not a concern", "not worth", "someone else's problem", "not our problem",
    "not my problem",
)
# Sequence words: a point about order ("then architecture") is not dismissed by "later".
SEQUENCE = frozenset([
    "then", "last", "later", "after", "finally", "end", "before", "first", "next", "once",
    "until"
])
# A clause made of these (and stop words), with a negation or a strong one,
# rejects what came before it: "..., but I don't buy that", "which is a myth".
REJECT_WORDS = frozenset([
    "buy", "agree", "disagree", "true", "right", "wrong", "myth", "overrated", "nonsense",
    "false", "bad", "idea", "think", "believe", "case", "convinced", "sure", "nope", "said",
    "say", "says", "claim", "claims", "people", "others", "would", "honestly", "point", "help",
    "work", "matter", "thing"
])
STRONG_REJECT = frozenset(["disagree", "wrong", "myth", "nonsense", "false", "nope", "overrated"])
# Words that may sit between the two sides of a pair or a mapping.
RELATION_WORDS = frozenset([
    "go", "goes", "going", "back", "tie", "ties", "tied", "map", "maps", "mapped", "mean",
    "means", "lead", "leads", "point", "points", "steer", "steers", "link", "links", "trade",
    "trades", "trading", "tradeoff", "balance", "balancing", "tension", "between", "over",
    "matter", "matters", "beat", "beats", "win", "wins", "questions", "question", "ones",
    "kind", "sort", "sacrifice", "cost", "depend", "depends", "vs"
])

# Instruction verbs a point may start with; a terse answer leaves them out.
LEADING_VERBS = frozenset([
    "create", "define", "identify", "choose", "pick", "explain", "measure", "build",
    "write", "clarify", "narrow", "set", "state", "add", "run", "track", "design",
])

# "many segments" contradicts "one segment".
PLURAL_QUANTIFIERS = frozenset(["many", "multiple", "several", "all", "every", "various", "lots"])
SINGULAR = frozenset(["one", "single", "1"])

# Words that say little on their own in this domain: they count for less,
# and a phrase with a specific word is never made by its generic words alone.
GENERIC_WORDS = frozenset([
    "user", "product", "model", "system", "make", "good", "thing", "way", "need", "time",
    "data", "feature", "team", "ai", "set", "get", "go", "give", "take", "work", "better",
    "best", "new", "high", "low", "big", "small", "right", "first", "one", "two", "three",
    "question", "answer", "problem", "case", "part", "kind", "lot", "people", "use", "thing",
    "stuff", "start", "name", "say"
])

# Plain-English equivalents, kept small and general: a deck's own vocabulary
# belongs in accept phrases or the deck's ``synonyms``.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("evaluation", "eval", "evaluate"),
    ("metric", "kpi", "measure", "measurement"),
    ("cost", "spend", "expense", "affordable", "cheap", "cogs", "costly", "expensive"),
    ("one", "single", "1"),
    ("speed", "fast", "quick", "velocity"),
    ("clarify", "define", "identify"),
    ("user", "customer", "people", "person"),
    ("risk", "danger", "hazard", "threat"),
    ("launch", "ship", "release", "rollout"),
    ("goal", "objective", "aim"),
    ("accuracy", "accurate", "correct", "correctness"),
    ("failure", "fail", "error"),
    ("experiment", "a/b"),
    ("developer", "engineer"),
    ("permission", "access", "authorization", "privilege"),
    ("monitor", "observe", "observability", "visibility"),
    ("approve", "approval", "confirm", "confirmation"),
    ("undo", "revert", "rollback"),
    ("escalate", "escalation", "handoff", "handover"),
    ("privacy", "confidential", "confidentiality"),
    ("retention", "retain"),
    ("enterprise", "company", "business", "organization", "corporate"),
    ("consistency", "consistent", "predictability", "predictable", "uniformity"),
    ("personalization", "personalize", "tailor", "customize", "customization", "adaptation"),
    ("autonomy", "autonomous", "independence"),
    ("control", "oversight", "supervision"),
    ("latency", "delay", "lag", "slowness"),
    ("coverage", "reach", "breadth"),
    ("rigor", "thoroughness"),
    ("fallback", "backup"),
    ("complete", "completion", "finish"),
)

# What candidates type for a word: expanded before anything else.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "1": ("one",), "2": ("two",), "3": ("three",), "4": ("four",), "5": ("five",),
    "6": ("six",), "7": ("seven",),
    "p13n": ("personalization",), "pii": ("personal", "data"),
    "hitl": ("human", "in", "the", "loop"), "evals": ("evaluation",), "eval": ("evaluation",),
    "llm": ("model",), "llms": ("model",), "eng": ("engineering",), "devs": ("developer",),
    "dev": ("developer",), "prod": ("production",), "arch": ("architecture",),
    "cogs": ("cost",), "nps": ("satisfaction",), "csat": ("satisfaction",),
    "perms": ("permission",), "perm": ("permission",), "ux": ("user", "experience"),
    "infra": ("infrastructure",), "reqs": ("requirement",), "req": ("request",),
    "ab": ("a/b",), "w/o": ("without",), "w/": ("with",), "b/c": ("because",),
    "approx": ("about",), "info": ("information",), "admin": ("administrator",),
    "admins": ("administrator",), "docs": ("document",), "doc": ("document",),
    "config": ("configuration",), "qa": ("quality", "assurance"), "sec": ("security",),
    "ops": ("operational",),
}

# Short words the lemmatizer would map to something else ("ai" -> "be").
NOT_LEMMATIZED = frozenset([
    "ai", "ml", "ui", "api", "sdk", "pm", "mvp", "kpi", "a/b", "csat", "rag", "ops"
])
# fmt: on
