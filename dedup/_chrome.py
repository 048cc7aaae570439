"""Page chrome: the parts of a scraped page that belong to the site, not to the article.

Two articles from one site share its furniture: share and follow widgets, newsletter and
subscription prompts, log-in and registration forms, cookie notices, copyright lines and
contact footers. Shared furniture is no evidence that one article was derived from the
other, so the re-ranker leaves it out of its scores. This module finds it in each text on
its own (no other document is needed) by the cues that boilerplate removers such as
jusText and boilerpipe use, adapted to plain text:

- the text is cut into blocks at line breaks and at sentence ends (``.``, ``!`` or ``?``
  and then white space), so an e-mail or web address stays in one block;
- a block of fewer than :data:`PARAGRAPH_WORDS` words is chrome when it holds an e-mail
  or web address, two or more mentions of page machinery (:data:`CUE_WORDS`,
  :data:`CUE_PAIRS`, ``@handles`` and bare domain names), or nothing but such mentions
  and function words (a ``Facebook`` or ``Advertisement`` line);
- a block of title-case words with hardly any function words is a list (a menu, a tag
  list, the options of a form);
- a block with one mention is chrome when chrome surrounds it, when it follows chrome
  to the end of the text, or when it lies in the text's tail of chrome and such blocks (the
  footer).

One mention alone does not make prose chrome: a report may well say that a minister
wrote on Twitter. :func:`tokenize_pages` tokenises texts and gives the tokens of chrome
blocks the ``CHROME`` flag.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from ._arrays import member
from ._config import AUTO
from ._language import with_language
from ._tokenize import CHROME, SENTENCE_START, Tokens, hash_words, tokenize_buffer
from ._types import I64, U8, U32, U64, Bools

#: Words whose usual sense on a news page is the page's own machinery.
CUE_WORDS = (
    "facebook", "twitter", "instagram", "youtube", "tiktok", "whatsapp", "linkedin", "pinterest", "snapchat",
    "reddit", "tumblr", "disqus", "retweet", "subscribe", "subscribed", "subscriber", "subscribers",
    "subscribing", "subscription", "subscriptions", "unsubscribe", "newsletter", "newsletters", "inbox",
    "login", "logout", "signup", "password", "passwords", "username", "javascript", "cookies", "browser",
    "advertisement", "advertisements", "advertise", "sponsored", "copyright", "redistributed", "email",
    "emails", "gmail", "rss", "captcha",
)  # fmt: skip

#: The same machinery in the other languages of ``_config.LANGUAGES``: cookie walls and
#: consent, bot checks, advertising, subscriptions, log-in and sharing. Words only, none that
#: is also common English prose; for Chinese the units are character bigrams (see ``_tokenize``).
CUE_WORDS_ELSEWHERE = (
    # German
    "werbung", "datenschutz", "datenschutzerklärung", "datenschutzhinweise", "impressum", "abonnieren",
    "abonniert", "abonnement", "anmelden", "abmelden", "registrieren", "registrierung", "passwort",
    "benutzername", "einloggen", "webseite", "einwilligung", "nutzungsbedingungen", "werbeblocker", "adblocker",
    "weiterlesen", "anmeldung", "cookie", "akzeptieren", "zustimmung", "datenschutzrichtlinie",
    "datenschutzrichtlinien", "widerrufen", "anklicken",
    # Spanish
    "publicidad", "suscríbete", "suscribirse", "suscripción", "suscriptores", "contraseña",
    "registrarse", "regístrate", "privacidad", "navegador",
    # French
    "publicité", "abonnez", "abonnement", "abonnés", "abonner", "inscrivez", "déconnexion",
    "identifiant", "confidentialité", "navigateur", "courriel",
    # Italian
    "pubblicità", "abbonati", "abbonamento", "iscriviti", "accedi", "registrati", "condividi",
    # Polish
    "reklama", "reklamy", "reklam", "witryna", "witrynę", "witryny", "prywatności", "zaloguj", "zalogować",
    "zarejestruj", "hasło", "subskrybuj", "subskrypcja", "robotem", "zaakceptuj", "akceptuj", "udostępnij",
    "przeglądarka", "przeglądarki", "ciasteczka", "przycisk", "klikając", "wycofać",
    # Russian
    "реклама", "рекламы", "подписаться", "подписка", "подписку", "рассылка", "рассылку", "регистрация",
    "зарегистрироваться", "пароль", "куки", "браузер", "браузера", "конфиденциальности", "поделиться",
    # Turkish
    "reklam", "bülten", "bültenimize", "şifre", "çerez", "çerezler", "çerezleri", "gizlilik",
    "tarayıcı", "tarayıcınız", "paylaş",
    # Arabic
    "الكوكيز", "الخصوصية", "متصفح",
    # Chinese
    "广告", "订阅", "登录", "注册", "密码", "隐私", "邮件", "分享", "版权", "浏览", "拦截",
    # Japanese (no reprint or copying without permission, copyright, member registration, cookies)
    "広告", "購読", "無断", "転載", "複製", "著作", "会員", "登録", "クッ",
    # Korean (no reprint or redistribution without permission, copyright, subscription, cookies)
    "광고", "구독", "무단", "전재", "배포", "저작", "쿠키",
)  # fmt: skip

#: Two-word phrases of page machinery; each counts as one mention.
CUE_PAIRS = [
    tuple(pair.split())
    for pair in (
        "sign up", "sign in", "log in", "logging in", "log out", "click here", "tap here", "click below",
        "read more", "read full", "rights reserved", "privacy policy", "cookie policy", "user agreement",
        "e mail", "email address", "email addresses", "first name", "last name", "job title", "free trial",
        "registered users", "your inbox", "your account", "your email", "your browser", "your details",
        "your subscription", "your password", "request form", "share this", "follow us", "like us",
        "contact us", "enable javascript", "use cookies", "accept cookies", "your experience", "our website",
        "this website", "our site", "this site", "this material", "related link", "related links",
        "related articles", "related stories", "sponsored content", "more information",
        # German, Spanish, French, Italian, Polish, Russian, Turkish, Arabic
        "alle rechte", "rechte vorbehalten", "mehr erfahren", "hier klicken", "unserer website",
        "derechos reservados", "leer más", "haz clic", "sitio web",
        "droits réservés", "lire aussi", "savoir plus", "cliquez ici", "site web", "notre site",
        "diritti riservati", "leggi anche", "clicca qui", "sito web", "nostro sito",
        "adres ip", "adresu ip", "prawa zastrzeżone", "czytaj więcej", "kliknij tutaj", "polityce prywatności",
        "права защищены", "читайте также", "все права",
        "hakları saklıdır", "devamını oku", "giriş yap", "üye ol",
        "الحقوق محفوظة", "اقرأ أيضا", "تسجيل الدخول", "كلمة المرور", "النشرة البريدية", "تعريف الارتباط",
    )
]  # fmt: skip

#: English function words: prose is full of them, menus and form labels are not.
FUNCTION_WORDS = (
    "a", "an", "the", "and", "or", "but", "nor", "so", "yet", "of", "in", "on", "at", "by", "for", "with",
    "from", "to", "into", "onto", "about", "as", "than", "that", "this", "these", "those", "which", "who",
    "whom", "whose", "what", "when", "where", "while", "if", "then", "because", "although", "is", "are", "was",
    "were", "be", "been", "being", "am", "has", "have", "had", "do", "does", "did", "will", "would", "shall",
    "should", "can", "could", "may", "might", "must", "not", "no", "all", "any", "some", "more", "most",
    "other", "such", "only", "also", "just", "very", "i", "you", "he", "she", "it", "we", "they", "me", "him",
    "her", "us", "them", "my", "your", "his", "its", "our", "their", "there", "here",
)  # fmt: skip

#: Function words of the other languages (articles, prepositions, conjunctions, pronouns).
FUNCTION_WORDS_ELSEWHERE = (
    "der", "die", "das", "und", "oder", "mit", "von", "für", "auf", "ist", "sind", "wird", "ein", "eine", "nicht",
    "el", "los", "las", "y", "en", "del", "con", "por", "para", "que", "es", "un", "una", "se",
    "le", "les", "et", "des", "du", "dans", "sur", "pour", "est", "une", "qui", "pas",
    "il", "lo", "gli", "e", "di", "della", "per", "che", "è", "non", "si",
    "i", "w", "z", "na", "do", "się", "jest", "nie", "że", "to",
    "и", "в", "на", "с", "не", "что", "по", "из", "это", "как",
    "ve", "bir", "bu", "için", "ile", "da", "de", "olarak",
    "في", "من", "على", "إلى", "عن", "أن", "التي", "الذي",
    "我们", "他们", "一个", "这个", "没有", "因为", "但是",
)  # fmt: skip

#: A block of at least this many words is prose, whatever it mentions, unless it is a list:
#: chrome comes in lines and short sentences, and a block this long is a paragraph whose
#: sentence ends were lost (a page flattened to one line).
PARAGRAPH_WORDS = 50

#: A block of any length is chrome when at least this share of its words are mentions of
#: page machinery: a cookie consent text whose sentence ends were lost is a long block, but
#: it names the site, its cookies, consent and privacy policy in almost every sentence.
DENSE_MENTIONS = 0.1

#: A block of at least this many words, this share of them capitalised (in title case) and
#: fewer than this share of function words is a list (a menu, tags, the options of a form).
LIST_WORDS = 12
LIST_CAPITALISED = 0.8
LIST_FUNCTION_WORDS = 0.1

_DOMAINS = (b"com", b"org", b"net", b"gov")
_WIDE_STOPS = tuple(c.encode() for c in "。！？")


@functools.cache
def _lexicon() -> tuple[U32, U32, U64]:
    """The cue words, the function words and the keys of the cue pairs."""
    pair_words = hash_words([w for pair in CUE_PAIRS for w in pair]).reshape(-1, 2).astype(np.uint64)
    pairs = (pair_words[:, 0] << np.uint64(32)) | pair_words[:, 1]
    cues = hash_words(CUE_WORDS + CUE_WORDS_ELSEWHERE)
    return np.unique(cues), np.unique(hash_words(FUNCTION_WORDS + FUNCTION_WORDS_ELSEWHERE)), np.unique(pairs)


def _token_at(starts: I64, positions: I64) -> I64:
    """The token that each byte position falls in or follows."""
    return np.maximum(np.searchsorted(starts, positions, side="right") - 1, 0)


def _word_byte(b: U8, positions: I64) -> Bools:
    """Whether the bytes at ``positions`` (which may lie outside ``b``) belong to words."""
    inside = (positions >= 0) & (positions < len(b))
    c = b[np.clip(positions, 0, max(len(b) - 1, 0))]
    return inside & ((c >= 0x80) | ((c | 0x20) - ord("a") < 26) | (c - ord("0") < 10))


def _spells(b: U8, positions: I64, text: bytes) -> Bools:
    """Whether the bytes from ``positions`` on spell ``text``, ignoring ASCII case."""
    found = positions + len(text) <= len(b)
    for k, c in enumerate(text):
        found &= (b[np.minimum(positions + k, len(b) - 1)] | 0x20) == (c | 0x20)
    return found


def _addresses(b: U8) -> tuple[I64, I64]:
    """Byte positions of e-mail and web addresses, and of ``@handles`` and bare domain names.

    Searched for from the bytes that start them (``@``, ``:``, ``w``, ``.``) with array
    operations, as a regular expression would be tried at every byte.
    """
    at = np.flatnonzero(b == ord("@"))
    word_before, word_after = _word_byte(b, at - 1), _word_byte(b, at + 1)
    dot_before = b[np.maximum(at - 1, 0)] == ord(".")
    colons = np.flatnonzero(b == ord(":"))
    doubles = np.flatnonzero((b | 0x20) == ord("w"))
    dots = np.flatnonzero(b == ord("."))
    tld = np.zeros(len(dots), dtype=bool)
    for domain in _DOMAINS:
        tld |= _spells(b, dots + 1, domain)
    tld &= _word_byte(b, dots - 1) & ~_word_byte(b, dots + 4)
    strong = np.concatenate(
        (
            at[word_before & word_after] - 1,  # name@example
            colons[_spells(b, colons, b"://")],  # after http or https
            doubles[_spells(b, doubles, b"www.") & _word_byte(b, doubles + 4)],
        )
    )
    weak = np.concatenate((at[~word_before & ~dot_before & word_after] + 1, dots[tld] + 1))
    return strong, weak


#: The bytes that open a bracket or a quote.
_OPENING = np.zeros(256, dtype=bool)
_OPENING[list(b"<([{\"'")] = True


def _block_starts(b: U8, starts: I64, sentence_start: Bools) -> Bools:
    """Which tokens start a block: a sentence start with white space right before it.

    The tokeniser's sentence starts follow any ``.``; requiring white space as well keeps
    ``name@example.com`` or ``Eve.Officials`` in one block.
    """
    before = b[np.maximum(starts - 1, 0)]
    # An opening bracket or quote between the space and the word ("\n<Copyright ...>") is skipped.
    opening = _OPENING[before] & (starts >= 2)
    before[opening] = b[starts[opening] - 2]
    space = (before == ord(" ")) | (before == ord("\n")) | (before == ord("\t")) | (before == ord("\r"))
    # Chinese and Japanese put no space after their full stops, question and exclamation marks.
    wide = np.flatnonzero(sentence_start & (before >= 0x80) & (starts >= 3))
    for stop in _WIDE_STOPS:
        space[wide] |= _spells(b, starts[wide] - len(stop), stop)
    return sentence_start & (space | (starts == 0))


def _between_chrome(chrome: Bools, weak: Bools, mentioned: Bools, first_of_text: Bools) -> Bools:
    """The weak blocks in runs between chrome blocks, or after chrome to the end of a text, and
    the ``mentioned`` weak blocks in a text's footer (its tail of chrome and weak blocks).

    Boilerplate removers classify a block with weak evidence by its neighbours: a
    mention of page machinery between two blocks of chrome, or after chrome in the
    footer, is part of the same furniture. (A text's first blocks are not judged by the
    page's start, which is where the headline is.)
    """
    n = len(chrome)
    index = np.arange(n)
    last_of_text = np.append(first_of_text[1:], True)
    # The nearest block on each side that is not weak, if it is in the same text.
    left = np.maximum.accumulate(np.where(~weak | first_of_text, index, 0))
    right = np.minimum.accumulate(np.where(~weak | last_of_text, index, n - 1)[::-1])[::-1]
    footer = weak[right] & last_of_text[right]
    between = weak & chrome[left] & ~weak[left] & ((chrome[right] & ~weak[right]) | footer)
    # The tail of a text made of chrome and weak blocks only is its footer, whatever is before
    # it; there a mention of page machinery is chrome (a scrap of a word or two is left alone:
    # an agency's story number, the end of a sentence cut short).
    tail = np.minimum.accumulate(np.where(~(chrome | weak) | last_of_text, index, n - 1)[::-1])[::-1]
    in_footer = (chrome | weak)[tail] & last_of_text[tail] & chrome[right] & ~weak[right]
    return between | (weak & mentioned & in_footer)


def chrome_tokens(b: U8, starts: I64, hashes: U32, sentence_start: Bools, bounds: I64) -> Bools:
    """Which tokens lie in blocks of page chrome.

    Parameters
    ----------
    b : ndarray of uint8
        UTF-8 text before case folding; texts are separated by line breaks.
    starts : ndarray of int64
        Byte offset of each token's first byte.
    hashes : ndarray of uint32
        The token hashes.
    sentence_start : ndarray of bool
        Whether each token starts a sentence (follows ``.``, ``!``, ``?`` or a line break).
    bounds : ndarray of int64
        Text ``i`` owns tokens ``bounds[i]:bounds[i + 1]``.

    Returns
    -------
    ndarray of bool, one per token.
    """
    if len(starts) == 0:
        return np.zeros(0, dtype=bool)
    cue_words, function_words, cue_pairs = _lexicon()
    opens = _block_starts(b, starts, sentence_start)
    opens[0] = True
    block = np.cumsum(opens) - 1
    block_start = np.flatnonzero(opens)
    n_blocks = len(block_start)

    def per_block(*masks: Bools) -> list[I64]:
        return [np.add.reduceat(mask.astype(np.int32), block_start) for mask in masks]

    keys = (hashes[:-1].astype(np.uint64) << np.uint64(32)) | hashes[1:]
    pair = np.append(member(keys, cue_pairs) & (block[:-1] == block[1:]), False)  # at its first word
    in_pair = pair | np.roll(pair, 1)
    cue = member(hashes, cue_words)
    first = b[starts]
    letter = (first >= 0x80) | ((first | 0x20) - ord("a") < 26)  # ASCII letters and non-ASCII
    second = b[np.minimum(starts + 1, len(b) - 1)]
    # Title case only: a text in capitals says nothing about lists.
    capital = (first - ord("A") < 26) & (second - ord("a") < 26)
    pairs, lone_cues, words, capitals = per_block(pair, cue & ~in_pair, letter, capital)
    mentions = pairs + lone_cues
    addresses, handles = _addresses(b)
    mentions += np.bincount(block[_token_at(starts, handles)], minlength=n_blocks)
    chrome = np.zeros(n_blocks, dtype=bool)
    chrome[block[_token_at(starts, addresses)]] = True
    chrome |= mentions >= 2

    # Function words are looked up only in the blocks whose fate depends on them.
    capitalised = (words >= LIST_WORDS) & (capitals >= LIST_CAPITALISED * words)
    undecided = ((mentions == 1) & ~chrome) | capitalised
    function = np.zeros(len(hashes), dtype=bool)
    check = np.flatnonzero(undecided[block])
    function[check] = member(hashes[check], function_words)
    cue |= in_pair
    cue_content, content, functions = per_block(cue & letter & ~function, letter & ~function, function)
    chrome |= (mentions == 1) & (cue_content >= content)
    short = words < PARAGRAPH_WORDS
    chrome &= short
    chrome |= (mentions >= 2) & (mentions >= DENSE_MENTIONS * words)  # a consent text flattened into one long block
    chrome |= capitalised & (functions < LIST_FUNCTION_WORDS * words)
    first_of_text = np.zeros(n_blocks, dtype=bool)
    first_of_text[block[bounds[:-1][np.diff(bounds) > 0]]] = True
    # A scrap of two words or fewer between chrome blocks ("gen.") belongs to them too.
    weak = ((mentions >= 1) | (words <= 2)) & ~chrome & short
    chrome |= _between_chrome(chrome, weak, mentions >= 1, first_of_text)
    return chrome[block]


def tokenize_pages(texts: Sequence[str], language: str = AUTO) -> Tokens:
    """Tokenise a batch of texts with the tokens of page chrome flagged ``CHROME``, and each
    text's language (``language``, or detected when ``auto``) in the flags (see ``_language``).

    Finding chrome costs about as much again as tokenising; only the re-ranker needs it.

    Examples
    --------
    >>> tokens = tokenize_pages(["Flood repairs close the library.\\nFollow us on Twitter and Facebook."])
    >>> ((tokens.flags & CHROME) > 0).tolist()
    [False, False, False, False, False, True, True, True, True, True, True]
    """
    tokens, buf, _, starts = tokenize_buffer(texts)
    raw = np.frombuffer(buf, dtype=np.uint8)  # before case folding: capitals are a cue
    sentence_start = (tokens.flags & SENTENCE_START) > 0
    chrome = chrome_tokens(raw, starts, tokens.hashes, sentence_start, tokens.bounds)
    return with_language(
        Tokens(tokens.hashes, tokens.bounds, tokens.flags | chrome.astype(np.uint8) * CHROME), language
    )
