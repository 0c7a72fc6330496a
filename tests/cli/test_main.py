import subprocess
import sys
from pathlib import Path

from servicecore.cli import main

POLICIES = Path(__file__).parents[2] / "examples" / "policies" / "support.toml"


class TestErrors:
    def test_a_missing_file_is_one_line_and_exit_2(self, capsys, tmp_path):
        """A cases file that does not exist is a usage error: one line, exit 2."""
        missing = tmp_path / "nope.jsonl"
        code = main(
            [
                "sla",
                "report",
                "--policies",
                str(POLICIES),
                "--cases",
                str(missing),
            ]
        )
        captured = capsys.readouterr()
        assert code == 2
        assert captured.err == (
            f"servicecore: error: argument --cases: {missing}: no such file "
            "(see servicecore sla report --help)\n"
        )

    def test_a_closed_pipe_ends_quietly(self):
        """Output cut short by a closed pipe ends with exit 1, no traceback."""
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "servicecore",
                "demo",
                "--cases",
                "300",
                "--population",
                "5",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert child.stdout is not None
        assert child.stderr is not None
        first = child.stdout.readline()
        child.stdout.close()
        error = child.stderr.read()
        child.stderr.close()
        assert child.wait(timeout=60) == 1
        assert first == b"servicecore demo: 300 generated cases (seed 7)\n"
        assert error == b""
