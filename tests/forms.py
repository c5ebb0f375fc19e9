"""Read a page's form the way a browser would submit it, for tests of stale saves."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._option: str | None = None
        self._first_option: dict[str, str] = {}
        self._selected: set[str] = set()
        self._buffer = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self._in_form = True
            self.forms.append([])
        if not self._in_form:
            return
        fields = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    fields.append((name, a.get("value", "on")))
            elif kind not in {"submit", "button", "file"}:
                fields.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._buffer = name, ""
        elif tag == "select" and name:
            self._select = name
            if "multiple" in a:
                # A browser sends nothing for a multiple select with nothing selected.
                self._selected.add(name)
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self._first_option.setdefault(self._select, value)
            if "selected" in a:
                fields.append((self._select, value))
                self._selected.add(self._select)

    def handle_data(self, data):
        if self._textarea is not None:
            self._buffer += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea" and self._textarea is not None:
            text = self._buffer[1:] if self._buffer.startswith("\n") else self._buffer
            self.forms[-1].append((self._textarea, text))
            self._textarea = None
        elif tag == "select" and self._select:
            if self._select not in self._selected and self._select in self._first_option:
                self.forms[-1].append((self._select, self._first_option[self._select]))
            self._select = None


def form_data(response, having: str = "edit_version") -> dict:
    """The fields of the page's POST form that has the field ``having``, as a dict for the
    test client; fields with several values (checkboxes) become lists."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    form = next(form for form in reader.forms if any(name == having for name, _v in form))
    data: dict = {}
    for name, value in form:
        if name == "csrfmiddlewaretoken":
            continue
        if name not in data:
            data[name] = value
        elif isinstance(data[name], list):
            data[name].append(value)
        else:
            data[name] = [data[name], value]
    return data


def stale_save(first, second, url: str, first_changes: dict, second_changes: dict):
    """Two people open the same form; ``first`` saves, then ``second`` saves the form they
    opened before that. Returns the response to the stale save."""
    first_form, second_form = form_data(first.get(url)), form_data(second.get(url))
    saved = first.post(url, {**first_form, **first_changes})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    return second.post(url, {**second_form, **second_changes})


def save_merge(client, url: str, merge_page, **keep) -> None:
    """Save the merge page as shown, keeping theirs for the fields named in ``keep``."""
    assert merge_page.status_code == 409
    data = form_data(merge_page)
    data.update({f"keep_{name}": choice for name, choice in keep.items()})
    assert client.post(url, data).status_code == 302
