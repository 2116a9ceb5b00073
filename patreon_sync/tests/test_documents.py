"""Reading raw bodies: how deep JSON may nest before it is refused, without a recursive parse."""

import pytest

from patreon_sync.documents import MAX_JSON_DEPTH, PayloadError, json_depth_exceeds, load_document


def nested(depth: int) -> bytes:
    return b'{"data": ' * (depth - 1) + b"[]" + b"}" * (depth - 1)


def test_a_body_at_the_depth_limit_is_read():
    assert not json_depth_exceeds(nested(MAX_JSON_DEPTH))
    assert isinstance(load_document(nested(MAX_JSON_DEPTH)), dict)


def test_one_level_more_is_nested_too_deeply():
    assert json_depth_exceeds(nested(MAX_JSON_DEPTH + 1))
    with pytest.raises(PayloadError, match="nested too deeply"):
        load_document(nested(MAX_JSON_DEPTH + 1))


def test_a_hundred_thousand_brackets_are_refused_without_recursion():
    with pytest.raises(PayloadError, match="nested too deeply"):
        load_document(b"[" * 100_000 + b"]" * 100_000)


def test_brackets_in_strings_and_escaped_quotes_do_not_nest():
    body = b'{"a": "' + b"[{" * 500 + b'\\"[[", "b": ["\\\\", "{"]}'
    assert not json_depth_exceeds(body)
    assert load_document(body)["b"] == ["\\", "{"]


@pytest.mark.parametrize("body", [b"not json", b"\xff\xfe", b'["unterminated', b""])
def test_what_is_not_json_says_so(body):
    with pytest.raises(PayloadError, match="not JSON"):
        load_document(body)
