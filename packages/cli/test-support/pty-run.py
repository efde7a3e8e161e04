"""Runs a command on a pseudo-terminal (stdin, stdout and stderr are the terminal) and prints one JSON object:
{"output": everything the terminal showed, "status": the exit status}. With --answer-after TEXT --answer LINE,
types LINE (and Enter) once TEXT has appeared. Used by the CLI's terminal tests; needs only Python's standard library.
"""
import json
import os
import pty
import select
import sys
import time

args = sys.argv[1:]
after = None
answer = None
while args and args[0] != '--':
    flag, value = args[0], args[1]
    args = args[2:]
    if flag == '--answer-after':
        after = value
    elif flag == '--answer':
        answer = value
command = args[1:]

pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

seen = b''
answered = False
deadline = time.time() + 60
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.1)
    if fd in ready:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    if after is not None and not answered and after.encode() in seen:
        os.write(fd, (answer or '').encode() + b'\r')
        answered = True
_, status = os.waitpid(pid, 0)
print(json.dumps({'output': seen.decode('utf-8', 'replace'), 'status': os.waitstatus_to_exitcode(status)}))
