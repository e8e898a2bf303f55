import json
import os
import subprocess
import sys
from pathlib import Path

from core.infra.storage import EncryptedStorage
from core.settings import _decode_key


def test_dev_key_rotation_reseals_every_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("ENCRYPTION_KEY", "PREVIOUS_ENCRYPTION_KEYS")
    }
    env["DATA_DIR"] = str(data)
    generate = subprocess.run(
        [sys.executable, "-m", "cli", "keys", "generate"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert len(_decode_key(generate.stdout.strip())) == 32
    subprocess.run(
        [sys.executable, "-m", "cli", "keys", "rotate"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    old_key = _decode_key(json.loads((data / "secrets.json").read_text())["encryption_key"])
    files = EncryptedStorage(data / "files", old_key)
    stored = [files.write_bytes("audio", b"recording %d" % n).path for n in range(4)]

    result = subprocess.run(
        [sys.executable, "-m", "cli", "keys", "rotate", "--generate"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "4 files re-sealed, 0 already under the current key"
    secrets = json.loads((data / "secrets.json").read_text())
    assert "previous_encryption_keys" not in secrets
    new_key = _decode_key(secrets["encryption_key"])
    assert new_key != old_key
    assert [EncryptedStorage(data / "files", new_key).read_bytes(p) for p in stored] == [
        b"recording %d" % n for n in range(4)
    ]
    for path in stored:
        assert b"recording" not in (data / "files" / path).read_bytes()


def test_generate_is_refused_for_configured_keys(tmp_path: Path) -> None:
    env = {**os.environ, "DATA_DIR": str(tmp_path), "ENCRYPTION_KEY": "A" * 43}
    result = subprocess.run(
        [sys.executable, "-m", "cli", "keys", "rotate", "--generate"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "--generate is for development keys" in result.stderr
