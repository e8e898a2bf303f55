"""`tb slack-socket` as a user runs it without the tokens it needs."""

import os
import subprocess
import sys


def test_slack_socket_without_tokens_exits_2_naming_them() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    result = subprocess.run(
        [sys.executable, "-m", "cli", "slack-socket"],
        env={**env, "SLACK_BOT_TOKEN": "xoxb-set"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "SLACK_APP_TOKEN" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
