"""The test suite's own rules: slow tests left out of the everyday run, programs CI must not skip, and CI
running exactly the README's test command."""
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import needs_program

ROOT = Path(__file__).resolve().parent.parent


def readme_test_command():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", text, re.S)
    commands = [b for b in blocks if "pytest" in b]
    assert len(commands) == 1, "the README shows one test command"
    return commands[0].strip()


def test_ci_runs_the_readme_test_command_with_ci_true_and_slow_tests_included():
    command = readme_test_command()
    assert command.endswith("pytest --slow")
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in lines, ".ci/run must run the README's test command as written"
    assert lines.index("export CI=true") < lines.index(command)


def test_ci_installs_the_programs_render_tests_need():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "command -v soffice" in script and "libreoffice-calc-nogui" in script
    assert "command -v chromium" in script and "missing+=(chromium)" in script


def test_a_missing_program_skips_on_a_developers_machine(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="soffice is not installed"):
        needs_program("soffice")


def test_a_missing_program_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="soffice is not installed .*CI=true"):
        needs_program("soffice")


def test_a_present_program_gives_its_path(monkeypatch, tmp_path):
    program = tmp_path / "soffice"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert needs_program("soffice") == str(program)


@pytest.fixture
def suite(tmp_path):
    """A small suite under this conftest: one everyday test, one slow one, one that needs a missing program."""
    shutil.copy(ROOT / "tests" / "conftest.py", tmp_path / "conftest.py")
    shutil.copy(ROOT / "setup.cfg", tmp_path / "setup.cfg")  # where the marker is registered
    (tmp_path / "test_example.py").write_text(textwrap.dedent("""
        import pytest
        from conftest import needs_program

        def test_everyday():
            pass

        @pytest.mark.slow
        def test_slow():
            pass

        def test_needs_a_program():
            needs_program("no-such-program-nexus")
    """))

    def run(*args, ci=None):
        env = {k: v for k, v in os.environ.items() if k != "CI"}
        if ci:
            env["CI"] = ci
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", *args,
                               str(tmp_path)], cwd=tmp_path, env=env, capture_output=True, text=True)
        return done.stdout.strip().splitlines()[-1]

    return run


def test_the_everyday_run_leaves_out_slow_tests_and_slow_runs_them(suite):
    assert suite().startswith("1 passed, 1 skipped, 1 deselected in")
    assert suite("--slow").startswith("2 passed, 1 skipped in")
    assert suite("-m", "slow").startswith("1 passed, 2 deselected in")


def test_under_ci_a_missing_program_is_a_failure(suite):
    assert suite("--slow", ci="true").startswith("1 failed, 2 passed in")
