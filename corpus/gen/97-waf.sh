#!/usr/bin/env bash
# Request fixtures for huawei-waf-certificate (POST /v1/{project_id}/waf/certificate):
# both sides of the name limit and form, each required field, the field checks, and a
# typical upload. No keys are made: the requests name the materials of 10-materials.sh.
# Run from the repository root: `bash corpus/gen/97-waf.sh` (python3).
set -euo pipefail
PYTHONPATH=corpus/gen python3 - <<'PY'
import json

from fixtures import edit, ref, writer

write, _ = writer("corpus/huawei-waf-certificate")

def body(**over):
    return edit({"name": "web-2026", "content": ref("server-chain.pem"), "key": ref("server.key")}, over)

write("pass-typical", body())
write("pass-name-pattern-256", body(name="n" * 256))
write("fail-name-pattern-257", body(name="n" * 257))
write("pass-name-pattern-dots-dashes", body(name="web.example-com_2026"))
write("fail-name-pattern-space", body(name="web 2026"))
write("fail-field-required-name", body(name=None))
write("fail-field-required-content", body(content=None))
write("fail-field-required-key", body(key=None))
write("fail-field-type-name-number", body(name=2026))
write("fail-field-unknown-nmae", body(nmae="web"))
write("fail-key-mismatch", body(key=ref("other-rsa.key")))
# A repeated key is valid JSON text, which json.dumps cannot write.
write("fail-duplicate-key-name", raw=json.dumps(body(), indent=2)[:-2]
      + ',\n  "name": "web-2027"\n}\n')
PY
echo "corpus/huawei-waf-certificate: requests written"
