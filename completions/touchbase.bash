# bash completion for touchbase                               -*- shell-script -*-
#
# Commands and the values of options come from `touchbase __complete`
# (the client's own tables), the options of a command from its --help,
# and contact names and tags from the running daemon, which a Tab never
# starts.
#
# SPDX-License-Identifier: GPL-3.0-or-later

# What each command's arguments are; tests/static/check-completion.sh
# checks that every command of `touchbase __complete commands` is in
# exactly one of these lists.
_touchbase_contact_commands="edit rm show log history snooze pause resume
  track untrack ignore follow-up"
_touchbase_two_contact_commands="introduce"
_touchbase_file_commands="import"
_touchbase_other_commands="add list search review due export intros stats
  report status undo sources help"

# Prints one candidate a line for the values of WHAT starting with CUR.
_touchbase_words()
{
    local what=$1 cur=$2
    case $what in
        names | tags) command touchbase __complete "$what" "$cur" 2>/dev/null ;;
        *) command touchbase __complete "$what" 2>/dev/null ;;
    esac
}

# Sets COMPREPLY to the names (or tags) starting with CUR, as the shell
# would insert them: escaped, or inside the quote the word opened.
_touchbase_reply_daemon()
{
    local what=$1 cur=$2 quote= word line
    case $cur in
        \"* | \'*)
            quote=${cur:0:1}
            cur=${cur:1}
            ;;
        *) cur=${cur//\\/} ;;
    esac
    COMPREPLY=()
    while IFS= read -r line; do
        [[ -n $line ]] || continue
        if [[ -n $quote ]]; then
            word=$line
        else
            printf -v word '%q' "$line"
        fi
        COMPREPLY+=("$word")
    done < <(_touchbase_words "$what" "$cur")
}

# Sets COMPREPLY to the fixed words of WHAT that start with CUR.
_touchbase_reply_fixed()
{
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "$(_touchbase_words "$1")" -- "$2"))
}

# The long options of COMMAND, from its --help ("--kind=" for one that
# takes a value).
_touchbase_options()
{
    LC_ALL=C command touchbase "$1" --help 2>/dev/null |
        sed -n 's/^ *\(-[[:alnum:]], \)\{0,1\}\(--[[:alnum:]-]*=\{0,1\}\).*/\2/p'
}

_touchbase_in()
{
    [[ " ${2//$'\n'/ } " == *" $1 "* ]]
}

_touchbase()
{
    local cur prev words cword split=false
    if declare -F _init_completion >/dev/null; then
        _init_completion -s || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi

    if ((cword == 1)); then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W '--help --version' -- "$cur"))
        else
            _touchbase_reply_fixed commands "$cur"
        fi
        return
    fi

    local command=${words[1]}
    if [[ $command == help ]]; then
        ((cword == 2)) && _touchbase_reply_fixed commands "$cur"
        return
    fi

    # The value of an option.
    case $prev in
        --kind | -k) _touchbase_reply_fixed kinds "$cur"; return ;;
        --tag | --untag) _touchbase_reply_daemon tags "$cur"; return ;;
        --tracking) _touchbase_reply_fixed tracking "$cur"; return ;;
        --format | -f)
            if [[ $command == import ]]; then
                _touchbase_reply_fixed import-formats "$cur"
            else
                _touchbase_reply_fixed export-formats "$cur"
            fi
            return
            ;;
        --output | -o)
            COMPREPLY=($(compgen -f -- "$cur"))
            compopt -o filenames 2>/dev/null
            return
            ;;
        --every | --email | --phone | --url | --company | --position | \
            --birthday | --met | --note | -n | --name | --interest | --goal | \
            --offer | --need | --at | --limit | --rm | --edit | --done | \
            --rm-fact)
            return
            ;;
    esac
    $split && return

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_touchbase_options "$command")" -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace 2>/dev/null
        return
    fi

    # Which positional argument this is: words after the command that
    # are neither options nor their values.
    local i n=0
    for ((i = 2; i < cword; i++)); do
        case ${words[i]} in
            --*=*) ;;
            -*) [[ ${words[i]} == --* || ${#words[i]} -eq 2 ]] &&
                [[ ${words[i]} =~ ^(-k|-n|-f|-o|--kind|--note|--format|--output|--tag|--untag|--every|--at|--email|--phone|--url|--company|--position|--birthday|--met|--name|--interest|--goal|--offer|--need|--limit|--rm|--edit|--done|--rm-fact|--tracking)$ ]] &&
                ((i++)) ;;
            *) ((n++)) ;;
        esac
    done

    if _touchbase_in "$command" "$_touchbase_contact_commands"; then
        ((n == 0)) && _touchbase_reply_daemon names "$cur"
    elif _touchbase_in "$command" "$_touchbase_two_contact_commands"; then
        ((n < 2)) && _touchbase_reply_daemon names "$cur"
    elif _touchbase_in "$command" "$_touchbase_file_commands"; then
        COMPREPLY=($(compgen -f -- "$cur"))
        compopt -o filenames 2>/dev/null
    fi
}
complete -F _touchbase touchbase
