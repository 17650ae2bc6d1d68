"""What the request-fixture scripts of corpus/gen share: reading the materials of
10-materials.sh, `{"file": ...}` references, writing requests and texts, and editing a
base request. Scripts import it with `PYTHONPATH=corpus/gen python3 - <<'PY'`."""
import base64
import json
import os

MATERIALS = "corpus/materials/"


def read(name):
    """The text of a material of 10-materials.sh."""
    with open(MATERIALS + name) as f:
        return f.read()


def ref(name):
    """A reference, from a target's folder, to a material of 10-materials.sh."""
    return {"file": "../materials/" + name}


def local(name):
    """A reference to a file beside the request."""
    return {"file": name}


def writer(out):
    """`write(name, doc=None, raw=None)` writes out/name.json (the document as indented
    JSON, or the raw text); `material(name, text)` writes out/name as it is."""
    os.makedirs(out, exist_ok=True)

    def write(name, doc=None, raw=None):
        text = raw if raw is not None else json.dumps(doc, indent=2) + "\n"
        with open(os.path.join(out, name + ".json"), "w") as f:
            f.write(text)

    def material(name, text):
        with open(os.path.join(out, name), "w", newline="", encoding="utf-8") as f:
            f.write(text)

    return write, material


def edit(base, over):
    """`base` with the keys of `over` set, or removed where their value is None."""
    b = dict(base)
    for k, v in over.items():
        if v is None:
            b.pop(k, None)
        else:
            b[k] = v
    return b


def pad(text, size):
    """`text` followed by newlines up to exactly `size` bytes (UTF-8)."""
    n = size - len(text.encode())
    assert n >= 0, (size, len(text))
    return text + "\n" * n


def blob(folder, name):
    """The base64 (one line) of the file `folder/name`: an archive made beside the
    requests, embedded as a base64 field."""
    with open(os.path.join(folder, name), "rb") as f:
        return base64.b64encode(f.read()).decode()
