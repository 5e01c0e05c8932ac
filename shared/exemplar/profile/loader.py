"""Reading a profile: the packaged default or a YAML file, refused with every fault named."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Final

import pydantic
import yaml

from .models import Profile

DEFAULT_PROFILE_NAME: Final = "bu-gia-map-2023.yaml"
# The packaged profiles are the sibling package exemplar.profiles (shared/exemplar/profiles/).
DEFAULT_PROFILE_PATH: Final = Path(__file__).parents[1] / "profiles" / DEFAULT_PROFILE_NAME


class ProfileError(ValueError):
    """An unreadable or inconsistent profile; ``problems`` lists every fault found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source, self.problems = source, problems
        lines = "\n".join(f"- {problem}" for problem in problems)
        super().__init__(f"hồ sơ địa bàn '{source}' không hợp lệ ({len(problems)} lỗi):\n{lines}")


def load_profile(path: str | Path | None = None) -> Profile:
    """Read and check a profile; None reads the packaged default (Bù Gia Mập 2023)."""
    if path is None:
        source = f"exemplar.profiles/{DEFAULT_PROFILE_NAME}"
        resource = resources.files("exemplar.profiles").joinpath(DEFAULT_PROFILE_NAME)
        text = resource.read_text(encoding="utf-8")
    else:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ProfileError(source, [f"không đọc được tệp: {exc}"]) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProfileError(source, [f"YAML không hợp lệ: {exc}"]) from exc
    if not isinstance(data, dict):
        raise ProfileError(source, ["nội dung phải là một bảng khóa–giá trị (mapping)"])
    try:
        return Profile.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ProfileError(source, _problems(exc, data)) from exc


def _problems(exc: pydantic.ValidationError, data: Any) -> list[str]:
    problems: list[str] = []
    for error in exc.errors():
        is_ours = error["type"] == "value_error"  # raised by a check: keep its own words
        message = str(error["ctx"]["error"]) if is_ours else error["msg"]
        where = _where(data, error["loc"])
        problems.extend(f"{where}: {line}" if where else line for line in message.splitlines())
    return problems


def _where(data: Any, loc: tuple[int | str, ...]) -> str:
    """A location path that names list items by their id: ``units[xa-dak-o].parent``."""
    path = ""
    for step in loc:
        if isinstance(step, int):
            item = data[step] if isinstance(data, list) and step < len(data) else None
            key = item.get("id") if isinstance(item, dict) else None
            path += f"[{key or step}]"
            data = item
        else:
            path += f".{step}" if path else str(step)
            data = data.get(step) if isinstance(data, dict) else None
    return path
