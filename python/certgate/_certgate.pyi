# The native module (Rust, PyO3); use the typed API of `certgate` instead.
from typing import List, Optional, Tuple

__version__: str

def check(
    profile: str, document: str, at: Optional[str] = None, base_dir: Optional[str] = None
) -> str: ...
def lint(paths: List[str], password: Optional[str] = None, at: Optional[str] = None) -> str: ...
def request(
    profile: str,
    document: str,
    at: Optional[str] = None,
    base_dir: Optional[str] = None,
    fail_on_warning: bool = False,
) -> Tuple[str, Optional[str]]: ...
def profiles() -> List[str]: ...
def explain(rule_id: str) -> str: ...
