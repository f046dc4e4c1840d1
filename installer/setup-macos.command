#!/bin/sh
# gendan_xl: set up the Excel buttons on a Mac in one step. Double-click this file in Finder
# (or run: sh setup-macos.command). It finds Python 3.11 or newer, makes the virtual environment
# ~/gendan (GENDAN_HOME to choose another), installs gendan_xl with the Excel extra from the
# gendan_xl-*.whl beside this file (else from the package index) and then runs
# "python -m gendan_xl setup --ask", which installs xlwings' runner for Excel, makes or upgrades
# your workbook with this Python on it and says what to click next. See docs/install.md.
# "python -I" everywhere: a gendan_xl or pip folder in the current directory (a source checkout)
# or PYTHONPATH must not shadow what is installed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
venv=${GENDAN_HOME:-$HOME/gendan}

fail() {
    printf '%s\n' "$1" "设置未完成，请看上面的信息（docs/install.md）/ set-up did not finish: see the messages above." >&2
    exit 1
}
python_ok() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; }

if ! python_ok "$venv/bin/python"; then
    python=""
    for candidate in "${GENDAN_PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        found=$(command -v "$candidate" 2>/dev/null) || continue
        # Apple's /usr/bin/python3 is 3.9, and without the command line tools it opens an install dialog.
        if [ "$found" = /usr/bin/python3 ] && [ "$(uname)" = Darwin ]; then continue; fi
        if python_ok "$found"; then python=$found; break; fi
    done
    if [ -z "$python" ]; then
        echo "未找到 Python 3.11 或更新版本。请从 https://www.python.org/downloads/macos/ 安装后再运行本脚本，"
        echo "或输入 python3 的完整路径后按回车："
        echo "No Python 3.11 or newer found. Install it from https://www.python.org/downloads/macos/ and run"
        echo "this again, or type the full path of a python3 and press Enter:"
        read -r python || python=""
        python_ok "$python" || fail "不是 Python 3.11 或更新版本 / not a Python 3.11 or newer: ${python:-（空 empty）}"
    fi
    echo "Python: $python → $venv"
    "$python" -I -m venv --clear "$venv" || fail "无法创建虚拟环境 / could not create the virtual environment $venv"
fi

wheel=""
for file in "$here"/gendan_xl-*.whl; do
    if [ -f "$file" ]; then wheel=$file; fi  # the last in name order; keep one wheel here
done
package=${wheel:-gendan_xl}
echo "安装 Installing ${package##*/} [excel] …"
"$venv/bin/python" -I -m pip install --upgrade --disable-pip-version-check "${package}[excel]" \
    || fail "安装 gendan_xl 失败 / installing gendan_xl failed"
"$venv/bin/python" -I -m gendan_xl setup --ask || fail "gendan setup 未完成 / gendan setup did not finish"
