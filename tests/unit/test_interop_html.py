"""Anki's field HTML as plain text."""

from __future__ import annotations

from cuecards.interop.html_text import html_to_text


def test_breaks_blocks_and_lists_become_lines() -> None:
    got = html_to_text(
        "<div>One<br>two</div><div>three</div><ul><li>a</li><li><b>b</b></li></ul>end"
    )
    assert got.text == "One\ntwo\nthree\n- a\n- b\nend"
    assert got.media == 0


def test_entities_spaces_and_formatting_keep_only_text() -> None:
    got = html_to_text("&lt;tag&gt; &amp;&nbsp;<span style='color:red'>red</span>   <i>x</i>")
    assert got.text == "<tag> & red x"


def test_media_is_dropped_and_counted() -> None:
    got = html_to_text('Look <img src="a.png"> and listen [sound:b.mp3]<audio src="c"></audio>')
    assert got.text == "Look and listen"
    assert got.media == 3


def test_scripts_and_styles_leave_no_text() -> None:
    got = html_to_text("<style>.x{}</style>Hi<script>alert(1)</script>")
    assert got.text == "Hi"
