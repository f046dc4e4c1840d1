@echo off
rem gendan_xl: set up the Excel buttons on Windows in one step. Double-click this file, or drop
rem your workbook (.xlsx or .xlsm) on it. It finds Python 3.11 or newer, makes the virtual
rem environment %USERPROFILE%\gendan (GENDAN_HOME to choose another), installs gendan_xl with the
rem Excel extra from the gendan_xl-*.whl beside this file (else from the package index) and then
rem runs "python -m gendan_xl setup --ask", which makes or upgrades the workbook with this Python
rem on it and says what to click next. See docs/install.md. Messages are UTF-8 (code page 65001);
rem "python -I": a gendan_xl folder in the current directory or PYTHONPATH must not shadow the install.
setlocal EnableExtensions
chcp 65001 >nul
if not defined GENDAN_HOME set "GENDAN_HOME=%USERPROFILE%\gendan"
set "VENV_PY=%GENDAN_HOME%\Scripts\python.exe"
set "PY="

call :check "%VENV_PY%"
if defined PY goto install
if defined GENDAN_PYTHON call :check "%GENDAN_PYTHON%"
if not defined PY call :check py -3
if not defined PY call :check python
if defined PY goto venv
echo 未找到 Python 3.11 或更新版本。请从 https://www.python.org/downloads/windows/ 安装（勾选 Add python.exe to PATH）
echo 后再运行本脚本，或输入 python.exe 的完整路径后按回车：
echo No Python 3.11 or newer found. Install it from https://www.python.org/downloads/windows/ (tick "Add
echo python.exe to PATH") and run this again, or type the full path of a python.exe and press Enter:
set "ANSWER="
set /p "ANSWER=> "
if not defined ANSWER goto failed
set "ANSWER=%ANSWER:"=%"
call :check "%ANSWER%"
if not defined PY goto failed

:venv
echo Python: %PY% -^> %GENDAN_HOME%
%PY% -I -m venv --clear "%GENDAN_HOME%" || goto failed

:install
set "PACKAGE=gendan_xl"
for %%W in ("%~dp0gendan_xl-*.whl") do set "PACKAGE=%%~fW"
echo 安装 Installing %PACKAGE% [excel] ...
"%VENV_PY%" -I -m pip install --upgrade --disable-pip-version-check "%PACKAGE%[excel]" || goto failed
"%VENV_PY%" -I -m gendan_xl setup --ask %1 || goto failed
pause
exit /b 0

:check
rem Sets PY to the command given when it is a Python 3.11 or newer.
%* -c "import sys; sys.exit(sys.version_info < (3, 11))" >nul 2>&1 && set "PY=%*"
exit /b 0

:failed
echo 设置未完成，请看上面的信息（docs/install.md）/ Set-up did not finish: see the messages above.
pause
exit /b 1
