"""The test suite's own rules: slow tests left out of the everyday run, programs CI must not skip, and CI
running exactly the README's test command."""
import re
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
    assert command.endswith("pytest --slow -n auto --dist loadfile")  # every test, on every core
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
def suite(pytester, monkeypatch):
    """A small suite under this conftest and setup.cfg: an everyday test, a slow one, one that needs a missing
    program. Returns a function that runs it with options and gives the outcome counts."""
    pytester.makeconftest((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"))
    pytester.makefile(".cfg", setup=(ROOT / "setup.cfg").read_text(encoding="utf-8"))  # the marker's registration
    pytester.makepyfile(test_example=textwrap.dedent("""
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
        if ci:
            monkeypatch.setenv("CI", ci)
        else:
            monkeypatch.delenv("CI", raising=False)
        result = pytester.runpytest("-p", "no:cacheprovider", *args)
        return {k: v for k, v in result.parseoutcomes().items() if k in ("passed", "failed", "skipped", "deselected")}

    return run


def test_the_everyday_run_leaves_out_slow_tests_and_slow_runs_them(suite):
    assert suite() == {"passed": 1, "skipped": 1, "deselected": 1}
    assert suite("--slow") == {"passed": 2, "skipped": 1}
    assert suite("-m", "slow") == {"passed": 1, "deselected": 2}


def test_under_ci_a_missing_program_is_a_failure(suite):
    assert suite("--slow", ci="true") == {"passed": 2, "failed": 1}
