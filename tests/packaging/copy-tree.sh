# copy_tree SRC DEST: the source tree as a clone would have it, into DEST:
# the files git knows and the new ones it does not ignore (so the work in
# progress is what is tested), or everything but build folders outside
# git. Sourced by the packaging tests.
copy_tree() {
  mkdir -p "$2"
  if git -C "$1" rev-parse --git-dir >/dev/null 2>&1; then
    (cd "$1" && git ls-files -z --cached --others --exclude-standard |
      while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
      tar --null -T - -cf -) | tar -C "$2" -xf -
  else
    (cd "$1" && tar --exclude='./build*' --exclude=./.git -cf - .) |
      tar -C "$2" -xf -
  fi
}
