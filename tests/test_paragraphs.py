from hypothesis import given
from hypothesis import strategies as st

from pipeline.core.paragraphs import paragraphs, strip_markup


def test_paragraph_offsets_index_crlf_text():
    text = "Title line\r\n\r\nFirst para line one\r\nline two\r\n\r\n  Last  \r\n"
    paras = paragraphs(text)
    assert [text[p.start : p.end] for p in paras] == [
        "Title line",
        "First para line one\r\nline two",
        "Last",
    ]
    assert paras[1].clean == "First para line one line two"


def test_markup_is_removed_only_from_the_copy():
    text = "- **Bold title**\n"
    para = paragraphs(text)[0]
    assert para.clean == "Bold title"
    assert text[para.start : para.end] == "- **Bold title**"
    assert strip_markup("## Heading") == "Heading"


@given(st.lists(st.text(alphabet="ab \r\n", max_size=12), max_size=8))
def test_paragraphs_are_nonblank_ordered_spans(chunks):
    text = "".join(chunks)
    paras = paragraphs(text)
    ends = [0]
    for p in paras:
        assert p.start >= ends[-1]
        assert text[p.start : p.end].strip() == text[p.start : p.end]
        assert text[p.start : p.end]
        ends.append(p.end)
