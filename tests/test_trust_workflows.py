"""The trust boundary of the contribution workflows (issue 17): the pull-request allow-list as validate.yml
runs it on real git repositories, the issue-form bot's jobs run as the workflow runs them, and the
workflows' structure (permissions, tokens, pins, zizmor)."""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"
CHECKER = REPO / "scripts" / "check_pr_paths.py"
CORPUS = yaml.safe_load((REPO / "tests" / "fixtures" / "hostile" / "pr_file_sets.yml").read_text(encoding="utf-8"))["cases"]
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]  # what `shell: bash` runs on GitHub's runners
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")


def _flow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def _step(flow: dict, job: str, name: str) -> dict:
    (step,) = [s for s in flow["jobs"][job]["steps"] if s.get("name") == name]
    return step


def _checker():
    spec = importlib.util.spec_from_file_location("check_pr_paths", CHECKER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


# ---- the allow-list, run as validate.yml runs it -----------------------------------------------------


def _git(repo: Path, *args: str, **kw) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull,
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env, timeout=60, **kw).stdout


BASE_FILES = {
    "README.md": "# Hợp tác xã\n",
    "mkdocs.yml": "site_name: x\n",
    "cooperatives/noi-bat.yml": "san_pham: []\n",
    "cooperatives/_mau/profile.yml": "ma: mau\n",
    "cooperatives/htx-a/profile.yml": "ma: htx-a\n",
    "cooperatives/htx-b/profile.yml": "ma: htx-b\n",
    "cooperatives/htx-b/images/cu.jpg": "jpeg\n",
}


def _pr_repo(tmp_path: Path, changes: list[dict]) -> tuple[Path, str]:
    """Return a repository whose HEAD is a pull request with changes on a base commit, and the base sha."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    for rel, text in BASE_FILES.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")
    (repo / "scripts").mkdir()
    shutil.copy(CHECKER, repo / "scripts" / "check_pr_paths.py")  # the base branch's checker
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    base = _git(repo, "rev-parse", "HEAD").strip()
    _git(repo, "checkout", "-q", "-b", "pr")
    for change in changes:
        if "delete" in change:
            _git(repo, "rm", "-q", "--", change["delete"])
            continue
        rel = change["add"]
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = change.get("mode")
        if mode == "symlink":
            if path.exists() or path.is_symlink():
                path.unlink()
            os.symlink(change["target"], path)
        elif mode == "submodule":
            _git(repo, "update-index", "--add", "--cacheinfo", f"160000,{base},{rel}")
            continue
        else:
            with path.open("wb") as fh:
                if "size" in change:
                    fh.truncate(change["size"])
                else:
                    fh.write(f"nội dung của {rel}\n".encode())
            if mode == "exec":
                path.chmod(0o755)
        _git(repo, "add", "--", rel)
    _git(repo, "commit", "-q", "-m", "pr")
    return repo, base


def _run_scope_step(repo: Path, base: str, labels: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess, str]:
    """Run validate.yml's scope step as the runner does; return the process and what it wrote to $GITHUB_OUTPUT."""
    step = _step(_flow("validate.yml"), "paths", "Kiểm tra các tệp được sửa")
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir(exist_ok=True)
    output = runner_temp / "output"
    output.write_text("")
    env = {**os.environ, "BASE_SHA": base, "PR_LABELS": labels, "RUNNER_TEMP": str(runner_temp), "GITHUB_OUTPUT": str(output)}
    result = subprocess.run([*BASH, "-c", step["run"]], cwd=repo, capture_output=True, text=True, env=env, timeout=120)
    return result, output.read_text()


def _many(n: int) -> list[dict]:
    return [{"add": f"cooperatives/htx-a/images/anh-{i:02d}.jpg"} for i in range(n)]


@pytest.mark.slow
@pytest.mark.parametrize("case", CORPUS, ids=[c["name"] for c in CORPUS])
def test_pull_request_file_sets(case: dict, tmp_path: Path) -> None:
    repo, base = _pr_repo(tmp_path, case.get("changes") or _many(case["many"]))
    result, output = _run_scope_step(repo, base, case.get("labels", ""), tmp_path)
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    if case["expect"] == "ok":
        assert result.returncode == 0, result.stdout + result.stderr
        assert not annotations
        assert result.stdout.startswith(("Phạm vi hợp lệ", "Pull request của ban biên tập"))
    else:
        assert result.returncode == 1, result.stdout + result.stderr
        assert annotations and all(VIETNAMESE.search(a) for a in annotations), result.stdout
        shown = result.stdout.replace("%0A", "\n").replace("%2C", ",").replace("%3A", ":").replace("%25", "%")
        for fragment in case["says"]:
            assert fragment in shown, (fragment, result.stdout)
    assert "Traceback" not in result.stdout + result.stderr
    if "kind" in case:
        assert f"loai={case['kind']}\n" in output


@pytest.mark.slow
def test_a_failing_git_diff_fails_the_check(tmp_path: Path) -> None:
    """pipefail: a diff that fails must not reach the checker as an empty (harmless-looking) list."""
    repo, _ = _pr_repo(tmp_path, [{"add": "setup.py"}])
    result, _ = _run_scope_step(repo, "0" * 40, "", tmp_path)
    assert result.returncode != 0
    assert "Phạm vi hợp lệ" not in result.stdout


@pytest.mark.slow
def test_the_checker_comes_from_the_base_branch(tmp_path: Path) -> None:
    """A pull request that replaces the checker with one that accepts everything is still refused."""
    repo, base = _pr_repo(tmp_path, [{"add": "setup.py"}])
    (repo / "scripts" / "check_pr_paths.py").write_text("print('Phạm vi hợp lệ')\n", encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "loosen the check")
    result, _ = _run_scope_step(repo, base, "", tmp_path)
    assert result.returncode == 1 and "`scripts/check_pr_paths.py` nằm ngoài" in result.stdout


@pytest.mark.slow
def test_list_folders_for_the_validate_job(tmp_path: Path) -> None:
    repo, base = _pr_repo(tmp_path, [{"add": "cooperatives/htx-a/profile.yml"}, {"delete": "cooperatives/htx-b/images/cu.jpg"},
                                     {"add": "cooperatives/_mau/profile.yml"}, {"add": "README.md"}])
    diff = subprocess.run(["git", "-C", str(repo), "diff", "--raw", "-z", "--no-renames", "--no-abbrev", f"{base}...HEAD"],
                          capture_output=True, check=True, timeout=60).stdout
    result = subprocess.run([sys.executable, str(CHECKER), "--list-folders"], input=diff, capture_output=True, timeout=60)
    assert result.returncode == 0 and result.stdout.decode().splitlines() == ["cooperatives/htx-a", "cooperatives/htx-b"]
    step = _step(_flow("validate.yml"), "validate", "Kiểm tra các hồ sơ được sửa")
    assert 'git show "$BASE_SHA:scripts/check_pr_paths.py"' in step["run"] and "--list-folders" in step["run"]


@pytest.mark.parametrize("data", [b"setup.py\n", b":100644 100644 abc", b":100644 100644 " + b"a" * 40 + b" " + b"b" * 40 + b" R100\0a\0b\0"])
def test_unreadable_listings_fail_closed(data: bytes) -> None:
    result = subprocess.run([sys.executable, str(CHECKER)], input=data, capture_output=True, timeout=60)
    assert result.returncode == 1
    assert result.stdout.decode().startswith("::error") and "Không đọc được danh sách tệp" in result.stdout.decode()


def test_a_name_that_is_not_utf8_is_refused() -> None:
    module = _checker()
    raw = b":000000 100644 " + b"0" * 40 + b" " + b"1" * 40 + b" A\0cooperatives/htx-a/images/\xff.jpg\0"
    (change,) = module.parse_raw(raw)
    decision = module.decide([change], set())
    assert [v.reason for v in decision.outside] == ["bad_path"] and decision.errors
    assert "\\udcff" in decision.errors[0]  # shown escaped, never as raw bytes


def test_checker_limits_match_the_build() -> None:
    from htx.publish.images import MAX_FILE_BYTES
    from htx.data.load import MAX_PROFILE_BYTES

    module = _checker()
    assert module.MAX_PROFILE_BYTES == MAX_PROFILE_BYTES and module.MAX_IMAGE_BYTES == MAX_FILE_BYTES
    source = CHECKER.read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import|from)\s+(htx|yaml|pydantic)", source, re.M)  # runs before anything is installed
    assert "triage" in module.__doc__  # who can set the labels that lift the check


def test_labels_parse() -> None:
    module = _checker()
    assert module.parse_labels('["documentation", "bien-tap-vien"]') == {"documentation", "bien-tap-vien"}
    assert module.parse_labels("a, b\nc") == {"a", "b", "c"}
    assert module.parse_labels("") == set() and module.parse_labels("[]") == set()


# ---- the issue-form bot, job by job ---------------------------------------------------------------


def test_issue_workflow_jobs_and_permissions() -> None:
    flow = _flow("from-issue.yml")
    jobs = flow["jobs"]
    assert flow["permissions"] == {}
    assert set(jobs) == {"profile", "pull-request", "comment"}
    assert jobs["profile"]["permissions"] == {"contents": "read"}
    assert jobs["pull-request"]["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert jobs["comment"]["permissions"] == {"issues": "write", "pull-requests": "read"}
    assert jobs["pull-request"]["needs"] == "profile" and jobs["comment"]["needs"] == ["profile", "pull-request"]
    assert "ho-so-moi" in jobs["profile"]["if"] and "ho-so-moi" in jobs["comment"]["if"]
    text = (WORKFLOWS / "from-issue.yml").read_text(encoding="utf-8")
    assert "cache:" not in text and "actions/cache" not in text  # nothing from here may reach the deploy


def test_echoed_answers_cannot_be_workflow_commands_in_the_log(tmp_path: Path) -> None:
    run = _step(_flow("from-issue.yml"), "profile", "Tạo và kiểm tra hồ sơ")["run"]
    lines = [line.strip() for line in run.splitlines()]
    start = lines.index('echo "::stop-commands::$stop"')
    call = next(i for i, line in enumerate(lines) if line.startswith("htx from-issue"))
    assert start < call < lines.index('echo "::$stop::"')
    assert "/dev/urandom" in run  # a token the issue's author cannot guess
    # and the messages themselves keep an answer on one line
    result, comment, _ = _from_issue(tmp_path, issue_body({**ANSWERS, "Loại hình": "x\n::set-output name=ok::true\n::error::giả"}))
    assert result.exit_code == 1
    assert not [line for line in result.output.splitlines() if line.lstrip().startswith("::")]


def _runs(job: dict) -> str:
    return "\n".join(s.get("run", "") for s in job["steps"])


def _command_words(run: str) -> set[str]:
    """Return the words of a shell script outside comments and quoted strings (enough to spot commands)."""
    words: set[str] = set()
    for line in run.splitlines():
        if line.strip().startswith("#"):
            continue
        line = re.sub(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"", " ", line)
        words |= set(re.findall(r"[\w.-]+", line))
    return words


def test_the_writing_job_installs_and_runs_nothing_of_the_project() -> None:
    job = _flow("from-issue.yml")["jobs"]["pull-request"]
    words = _command_words(_runs(job))
    assert {"gh", "jq", "find", "base64"} <= words  # the helper sees the commands…
    for forbidden in ("pip", "pip3", "htx", "python", "python3", "npm", "make", "git", "mkdocs", "bash", "sh", "source"):
        assert forbidden not in words, forbidden  # …and none of these
    uses = [s["uses"].split("@")[0] for s in job["steps"] if "uses" in s]
    assert uses == ["actions/download-artifact"]  # no checkout: the repository's files are never on this runner


def test_gh_token_only_on_steps_that_call_gh() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        flow = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert "GH_TOKEN" not in json.dumps(flow.get("env", {})), path.name
        for name, job in flow["jobs"].items():
            assert "GH_TOKEN" not in json.dumps(job.get("env", {})), f"{path.name}: {name}"
            for step in job.get("steps", []):
                env = step.get("env", {})
                token_values = [v for v in env.values() if "token" in str(v).lower() or "secrets." in str(v)]
                if "GH_TOKEN" in env or token_values:
                    assert set(env) & {"GH_TOKEN"} and token_values == [env["GH_TOKEN"]], f"{path.name}: {step.get('name')}"
                    assert re.search(r"(^|[\s(])gh (api|issue|pr) ", step["run"], re.M), f"{path.name}: {step.get('name')}"
                    # nothing of the project runs beside the token
                    assert not _command_words(step["run"]) & {"pip", "htx", "python", "python3", "mkdocs", "make"}, step.get("name")
                for key, value in step.get("with", {}).items():
                    if "token" in key.lower() or "${{ github.token" in str(value) or "secrets." in str(value):
                        pytest.fail(f"{path.name}: {step.get('uses')} is given a token")


def test_every_checkout_drops_its_credentials_and_installs_happen_only_in_read_only_jobs() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        flow = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, job in flow["jobs"].items():
            for step in job.get("steps", []):
                if str(step.get("uses", "")).startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, f"{path.name}: {name}"
            if "pip install" in _runs(job):
                assert job["permissions"] == {"contents": "read"}, f"{path.name}: {name}"


def test_branch_is_new_for_every_run() -> None:
    step = _step(_flow("from-issue.yml"), "pull-request", "Mở pull request trên nhánh mới")
    branch = step["env"]["BRANCH"]
    assert "github.run_id" in branch and "github.run_attempt" in branch and "github.event.issue.number" in branch
    run = step["run"]
    # The branch is created, never moved: POST git/refs fails on an existing ref; no force, no PATCH.
    assert '--method POST "repos/$GH_REPO/git/refs"' in run
    assert "force" not in run and "PATCH" not in run and "git push" not in run
    assert "create-pull-request" not in (WORKFLOWS / "from-issue.yml").read_text(encoding="utf-8")


def _artifact_check(tmp_path: Path, build) -> tuple[subprocess.CompletedProcess, str]:
    step = _step(_flow("from-issue.yml"), "pull-request", "Kiểm tra tệp hồ sơ")
    runner_temp = tmp_path / "runner"
    (runner_temp / "ho-so").mkdir(parents=True)
    build(runner_temp / "ho-so")
    output = runner_temp / "output"
    output.write_text("")
    env = {**os.environ, "RUNNER_TEMP": str(runner_temp), "GITHUB_OUTPUT": str(output)}
    result = subprocess.run([*BASH, "-c", step["run"]], capture_output=True, text=True, env=env, timeout=60)
    return result, output.read_text()


def _file(rel: str, data: bytes = "ma: htx-a\nten: \"Hợp tác xã A\"\n".encode()):
    def build(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return build


def _both(*builders):
    def build(root: Path) -> None:
        for b in builders:
            b(root)
    return build


def _symlink(root: Path) -> None:
    (root / "cooperatives" / "htx-a").mkdir(parents=True)
    os.symlink("/etc/hostname", root / "cooperatives" / "htx-a" / "profile.yml")


def _extra_folder(root: Path) -> None:
    _file("cooperatives/htx-a/profile.yml")(root)
    (root / "cooperatives" / "htx-a" / "images").mkdir()


def test_artifact_check_accepts_one_profile(tmp_path: Path) -> None:
    result, output = _artifact_check(tmp_path, _file("cooperatives/htx-a/profile.yml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert output == "path=cooperatives/htx-a/profile.yml\n"


@pytest.mark.parametrize("build", [
    _file("cooperatives/_mau/profile.yml"),
    _file("cooperatives/HTX-A/profile.yml"),
    _file("cooperatives/htx-á/profile.yml"),
    _file("cooperatives/htx a/profile.yml"),
    _file("cooperatives/htx-a\n/profile.yml"),
    _file("cooperatives/htx-a/profile.yaml"),
    _file("setup.py"),
    _file("cooperatives/htx-a/images/x.jpg"),
    _both(_file("cooperatives/htx-a/profile.yml"), _file("cooperatives/htx-a/sitecustomize.py")),
    _both(_file("cooperatives/htx-a/profile.yml"), _file("cooperatives/htx-b/profile.yml")),
    _symlink,
    _extra_folder,
    _file("cooperatives/htx-a/profile.yml", b""),
    _file("cooperatives/htx-a/profile.yml", b"a" * 1_000_001),
    _file("cooperatives/htx-a/profile.yml", b"ten: \xff\xfe\n"),
    lambda root: None,
], ids=["template", "uppercase", "accented", "space", "newline", "yaml-ext", "setup.py", "image", "extra-file",
        "two-coops", "symlink", "extra-folder", "empty", "too-big", "not-utf8", "nothing"])
def test_artifact_check_refuses_anything_else(tmp_path: Path, build) -> None:
    result, output = _artifact_check(tmp_path, build)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("::error::Tệp") and output == ""


def _compose(tmp_path: Path, answer: str | None, **env: str) -> tuple[int, str]:
    step = _step(_flow("from-issue.yml"), "comment", "Soạn câu trả lời")
    runner_temp = tmp_path / "runner"
    (runner_temp / "tra-loi").mkdir(parents=True, exist_ok=True)
    if answer is not None:
        (runner_temp / "tra-loi" / "comment.md").write_text(answer, encoding="utf-8")
    full = {**os.environ, "RUNNER_TEMP": str(runner_temp), "PROFILE_RESULT": "success", "PROFILE_OK": "", "PR_RESULT": "skipped",
            "PR_URL": "", "RUN_URL": "https://github.example/runs/1", **env}
    result = subprocess.run([*BASH, "-c", step["run"]], capture_output=True, text=True, env=full, timeout=60)
    return result.returncode, (runner_temp / "reply.md").read_text(encoding="utf-8")


def test_answer_on_the_issue(tmp_path: Path) -> None:
    ok = {"PROFILE_OK": "true", "PR_RESULT": "success", "PR_URL": "https://github.example/pull/7"}
    status, reply = _compose(tmp_path / "a", "Đã tạo hồ sơ.\n", **ok)
    assert status == 0 and reply == "Đã mở pull request https://github.example/pull/7, chờ biên tập viên duyệt.\n\nĐã tạo hồ sơ.\n"
    status, reply = _compose(tmp_path / "b", "Chưa tạo được hồ sơ:\n\n```text\nx\n```\n", PROFILE_OK="false")
    assert status == 0 and reply.startswith("Chưa tạo được hồ sơ:")
    generic = "Chưa tạo được hồ sơ vì hệ thống gặp lỗi"
    for case, answer, env in [("crash", "Traceback (most recent call last):\n", {"PROFILE_RESULT": "failure"}),
                              ("missing", None, {"PROFILE_OK": "false"}),
                              ("huge", "x" * 60_001, {"PROFILE_OK": "false"}),
                              ("pr-failed", "Đã tạo hồ sơ.\n", {"PROFILE_OK": "true", "PR_RESULT": "failure"})]:
        status, reply = _compose(tmp_path / case, answer, **env)
        assert status == 0 and reply.startswith(generic) and "https://github.example/runs/1" in reply, case
        assert "Traceback" not in reply


# ---- job 1 as the runner runs it: hostile issue bodies ----------------------------------------------

from test_contrib import ANSWERS, issue_body  # noqa: E402  (the form's answers, shared)

HTX = Path(sys.executable).parent / "htx"


def _run_profile_job(tmp_path: Path, body: str) -> tuple[subprocess.CompletedProcess, dict[str, str], str, list[Path]]:
    """Run job 1's step in a copy of the cooperatives; return the process, its outputs, the comment and the artifact files."""
    work = tmp_path / "work"
    for profile in (REPO / "cooperatives").glob("*/profile.yml"):
        target = work / "cooperatives" / profile.parent.name / "profile.yml"
        target.parent.mkdir(parents=True)
        shutil.copy(profile, target)
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir()
    event = runner_temp / "event.json"
    event.write_text(json.dumps({"issue": {"number": 5, "body": body}}), encoding="utf-8")
    output = runner_temp / "output"
    output.write_text("")
    env = {**os.environ, "RUNNER_TEMP": str(runner_temp), "GITHUB_OUTPUT": str(output), "GITHUB_EVENT_PATH": str(event),
           "PATH": f"{HTX.parent}{os.pathsep}{os.environ['PATH']}"}
    step = _step(_flow("from-issue.yml"), "profile", "Tạo và kiểm tra hồ sơ")
    result = subprocess.run([*BASH, "-c", step["run"]], cwd=work, capture_output=True, text=True, env=env, timeout=300)
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    comment_file = runner_temp / "tra-loi" / "comment.md"
    comment = comment_file.read_text(encoding="utf-8") if comment_file.exists() else ""
    artifact = sorted(p for p in (runner_temp / "ho-so").rglob("*") if not p.is_dir())
    return result, outputs, comment, [p.relative_to(runner_temp / "ho-so") for p in artifact]


@pytest.mark.slow
@pytest.mark.skipif(not HTX.exists() or not shutil.which("jq"), reason="needs the installed htx and jq (both on GitHub's runners)")
def test_profile_job_end_to_end(tmp_path: Path) -> None:
    body = issue_body({**ANSWERS, "Tên hợp tác xã": "Hợp tác xã Mới Toanh", "Sản phẩm": None})
    result, outputs, comment, artifact = _run_profile_job(tmp_path / "ok", body)
    assert result.returncode == 0 and outputs == {"ok": "true"}, result.stdout + result.stderr
    assert artifact == [Path("cooperatives/htx-moi-toanh/profile.yml")]
    assert comment.startswith("Đã tạo hồ sơ `cooperatives/htx-moi-toanh/profile.yml`") and "```yaml\n" in comment

    hostile = {**ANSWERS, "Số thành viên": "9" * 5000,
               "Giới thiệu ngắn": "```\n\n> [!CAUTION]\n> @angiang-htx/bien-tap hồ sơ đã duyệt, chuyển khoản tại https://evil.example\n```"}
    result, outputs, comment, artifact = _run_profile_job(tmp_path / "bad", issue_body(hostile))
    assert result.returncode == 0 and outputs == {"ok": "false"}, result.stdout + result.stderr
    assert artifact == [] and "Traceback" not in comment
    assert "“Số thành viên” phải từ 1 đến 1.000.000" in comment


# ---- zizmor, pins ------------------------------------------------------------------------------------

ZIZMOR = shutil.which("zizmor") or str(Path(sys.executable).parent / "zizmor")


@pytest.mark.slow
@pytest.mark.skipif(not Path(ZIZMOR).exists(), reason="zizmor is not installed (a test dependency: pip install -e .[test])")
def test_zizmor_finds_nothing_at_medium_or_above() -> None:
    result = subprocess.run([ZIZMOR, "--offline", "--no-progress", "--min-severity", "medium", "--format", "plain", str(WORKFLOWS)],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


# Commits checked against the actions' own repositories (tags v4.6.2 and v4.3.0 are these commits).
VERIFIED_PINS = {
    "actions/upload-artifact": ("ea165f8d65b6e75b540449e92b4886f43607fa02", "v4.6.2"),
    "actions/download-artifact": ("d3f86a106a0bac45b974a628896c90dbdf5c8093", "v4.3.0"),
}


def test_artifact_actions_use_verified_pins() -> None:
    text = (WORKFLOWS / "from-issue.yml").read_text(encoding="utf-8")
    for action, (sha, tag) in VERIFIED_PINS.items():
        found = re.findall(rf"uses: {re.escape(action)}@(\S+) # (\S+)", text)
        assert found and set(found) == {(sha, tag)}, action


# ---- the issue-form bot's public answer -----------------------------------------------------------

from click.testing import CliRunner  # noqa: E402

from htx.tools import issue_form  # noqa: E402
from htx.tools.issue_form import COMMENT_UNEXPECTED, fence, from_issue  # noqa: E402


def _outside_fences(markdown: str) -> list[str]:
    """Return the lines of markdown that are not inside a fenced code block, by CommonMark's rules.

    A fence opens with 3+ backticks or tildes (indent ≤ 3) and closes only with a line of the same
    character, at least as long, indent ≤ 3, nothing after it but spaces; an unclosed fence runs to the end.
    """
    outside, fence_char, fence_len = [], "", 0
    for line in markdown.split("\n"):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if not fence_char:
            match = re.match(r"(`{3,}|~{3,})(.*)$", stripped)
            if indent <= 3 and match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
                fence_char, fence_len = match.group(1)[0], len(match.group(1))
            else:
                outside.append(line)
        else:
            match = re.match(rf"({re.escape(fence_char)}{{{fence_len},}})\s*$", stripped)
            if indent <= 3 and match:
                fence_char = ""
    return outside


@pytest.mark.parametrize("text", ["", "a", "```", "````\n```", "x ``` y", "`" * 10, "~~~\n```\n~~~", "``` text\n```\n"])
def test_fence_cannot_be_closed_from_inside(text: str) -> None:
    block = fence(text)
    outside = _outside_fences(block + "\n\nsau khối")
    assert outside == ["", "sau khối"], block
    assert block.split("\n")[1:-1] == text.rstrip("\n").split("\n")


def test_fence_shows_controls_and_bidi_as_escapes() -> None:
    block = fence("An\u202egnaig\x1b[31m\u200b\x00")
    assert "\u202e" not in block and "\x1b" not in block and "\u200b" not in block and "\x00" not in block
    assert "\\u202e" in block and "\\u001b[31m" in block


PHISHING = "```\n\n> [!CAUTION]\n> @angiang-htx/bien-tap hồ sơ đã được duyệt: chuyển phí tại https://evil.example\n\n```"


def _from_issue(tmp_path: Path, body: str) -> tuple[object, str, Path]:
    out = tmp_path / "cooperatives"
    out.mkdir(parents=True, exist_ok=True)
    comment = tmp_path / "comment.md"
    result = CliRunner().invoke(from_issue, ["--out-dir", str(out), "--comment", str(comment)], input=body)
    return result, comment.read_text(encoding="utf-8"), out


def _assert_inert(comment: str, *answers: str) -> None:
    """The comment has no traceback and none of the answers' text outside a fenced block."""
    assert "Traceback" not in comment and 'File "' not in comment
    outside = "\n".join(_outside_fences(comment))
    for marker in ("@angiang", "[!CAUTION]", "evil.example", "<img", "~~~"):
        assert marker not in outside, (marker, outside)
    for answer in answers:
        for line in answer.split("\n"):
            if len(line.strip()) > 3:
                assert line not in outside, line


@pytest.mark.parametrize(("change", "message"), [
    ({"Loại hình": PHISHING}, "không có trong danh sách"),
    ({"Loại hình": "~~~\n> [!WARNING]\n> @angiang-htx/bien-tap <img src=x onerror=alert(1)>\n~~~"}, "không có trong danh sách"),
    ({"Sản phẩm": "Gạo ```` | bánh mì | 1 | kg | " + PHISHING.replace("\n", " ")}, "không có trong danh sách"),
    ({"Số thành viên": "9" * 5000}, "“Số thành viên” phải từ 1 đến 1.000.000"),
    ({"Số thành viên": "0"}, "“Số thành viên” phải từ 1 đến 1.000.000"),
    ({"Số thành viên": "1.000.001"}, "“Số thành viên” phải từ 1 đến 1.000.000"),
    ({"Số thành viên": "-5"}, "“Số thành viên” phải là một số nguyên"),
    ({"Số thành viên": "١٢"}, "“Số thành viên” phải là một số nguyên"),  # Arabic-Indic digits: not ours
    ({"Sản phẩm": "Gạo | gao-nong-san | " + "9" * 5000 + " | kg | Gạo thơm ngon của hợp tác xã."}, "giá có quá 12 chữ số"),
    ({"Tên hợp tác xã": "../../.."}, "Không tạo được mã thư mục"),
    ({"Xã, phường, đặc khu": PHISHING}, "Không tìm thấy xã, phường"),
])
def test_hostile_issue_bodies_get_a_vietnamese_answer(tmp_path: Path, change: dict, message: str) -> None:
    result, comment, out = _from_issue(tmp_path, issue_body({**ANSWERS, **change}))
    assert result.exit_code == 1, result.output
    assert message in comment and message in result.output
    assert comment.rstrip().endswith("nhãn `ho-so-moi`.")
    assert "Traceback" not in result.output
    _assert_inert(comment, *[v for v in change.values() if isinstance(v, str)])


def test_a_profile_preview_quotes_every_answer(tmp_path: Path) -> None:
    answers = {**ANSWERS, "Giới thiệu ngắn": "Hợp tác xã lúa gạo. " + PHISHING, "Địa chỉ trụ sở": "Ấp ~~~ Tây ```` Bình"}
    result, comment, out = _from_issue(tmp_path, issue_body(answers))
    assert result.exit_code == 0, result.output
    assert comment.startswith("Đã tạo hồ sơ `") and "@angiang-htx/bien-tap" in comment  # quoted, inside the fence
    _assert_inert(comment)
    assert _outside_fences(comment)[0].startswith("Đã tạo hồ sơ")


def test_slugs_from_the_body_stay_inside_the_folder(tmp_path: Path) -> None:
    for i, name in enumerate(["../../etc/passwd", "Hợp tác xã /../../x", "_mau", ".github", "..\\..\\windows", "cooperatives/../../a"]):
        work = tmp_path / str(i)
        result, comment, out = _from_issue(work, issue_body({**ANSWERS, "Tên hợp tác xã": name, "Sản phẩm": None}))
        written = [p for p in work.rglob("*") if p.is_file() and p.name != "comment.md"]
        for path in written:
            assert path.parent.parent == out and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", path.parent.name), path
        assert "Traceback" not in comment
    with pytest.raises(issue_form.FormError):
        issue_form.profile_path(tmp_path, "..")
    with pytest.raises(issue_form.FormError):
        issue_form.profile_path(tmp_path, "a/../../b")


def test_a_huge_body_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    body = issue_body({**ANSWERS, "Giới thiệu ngắn": "Hợp tác xã. " * 20_000})
    assert len(body) > issue_form.MAX_BODY_CHARS
    result, comment, out = _from_issue(tmp_path, body)
    assert result.exit_code == 1 and "dài hơn giới hạn 65.536 ký tự" in comment
    assert not any(out.iterdir())


def test_an_unexpected_error_is_one_sentence_in_public_and_a_traceback_in_the_log(tmp_path: Path, monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("/home/runner/secret-path chi tiết nội bộ")
    monkeypatch.setattr(issue_form, "answers_to_profile", boom)
    result, comment, _ = _from_issue(tmp_path, issue_body(ANSWERS))
    assert result.exit_code == 1
    assert comment == COMMENT_UNEXPECTED
    assert "Traceback" in result.stderr and "secret-path" in result.stderr  # details for staff, in the job log


def test_other_profiles_are_read_with_the_loaders_limits(tmp_path: Path) -> None:
    """`_` and `.` folders are skipped and an oversized profile is not parsed (it used to cost minutes)."""
    out = tmp_path / "cooperatives"
    (out / "_nhap").mkdir(parents=True)
    (out / "_nhap" / "profile.yml").write_text("san_pham:\n" + "  - ma: gao-thom-binh-minh\n" * 200_000, encoding="utf-8")
    (out / "htx-to").mkdir()
    (out / "htx-to" / "profile.yml").write_text("san_pham:\n" + "  - ma: mam-ca-linh\n" * 200_000, encoding="utf-8")
    (out / "htx-nho").mkdir()
    (out / "htx-nho" / "profile.yml").write_text("san_pham:\n  - ma: gao-thom-binh-minh\n", encoding="utf-8")
    assert (out / "htx-to" / "profile.yml").stat().st_size > 1_000_000
    taken = issue_form.taken_product_ids(out)
    assert taken == {"index", "gao-thom-binh-minh"}
