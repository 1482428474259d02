# bash completion for amisim                                 -*- shell-script -*-
#
# Installed by `meson install` as
# $datadir/bash-completion/completions/amisim; to try it from the source
# tree: `source tools/amisim-completion.bash`. The options of each command
# are those of `amisim COMMAND --help` (tests/schema/test-completion.py
# holds them to each other).

_amisim_options()
{
    case $1 in
        run)
            echo "--help --seed --horizon --set --out --json --quiet --replications --threads
                  --trace --trace-account --trace-region --trace-image --trace-kind --narrate -h -q" ;;
        validate)
            echo "--help --set --json --quiet -h -q" ;;
        explain)
            echo "--help --set --json --format --quiet -h -q" ;;
        "policy eval")
            echo "--help --json -h" ;;
        plot)
            echo "--help --format --quiet -h -q" ;;
        sweep)
            echo "--help --set --replications --threads --seed --horizon --out --json --quiet -h -q" ;;
        import)
            echo "--help --output --quiet -h -o -q" ;;
    esac
}

_amisim()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        _init_completion -n = || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi

    local commands="run validate explain policy plot sweep import help"

    # the command: the first word that is not an option
    local cmd="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            -*) ;;
            *)
                cmd=${words[i]}
                if [[ $cmd == policy ]]; then
                    if ((i + 1 < cword)) && [[ ${words[i + 1]} == eval ]]; then
                        cmd="policy eval"
                    elif ((i + 1 == cword)); then
                        COMPREPLY=($(compgen -W "eval" -- "$cur"))
                        return
                    fi
                fi
                break ;;
        esac
    done

    # an option's value, written as "--opt value" or "--opt=value"
    local opt=$prev value=$cur
    if [[ $cur == --*=* ]]; then
        opt=${cur%%=*}
        value=${cur#*=}
    fi
    case $opt in
        --format)
            if [[ $cmd == explain ]]; then
                COMPREPLY=($(compgen -W "text json sarif" -- "$value"))
            else
                COMPREPLY=($(compgen -W "png svg both" -- "$value"))
            fi
            return ;;
        --out)
            COMPREPLY=($(compgen -d -- "$value"))
            compopt -o filenames 2>/dev/null
            return ;;
        --trace|--output|-o)
            COMPREPLY=($(compgen -f -- "$value"))
            compopt -o filenames 2>/dev/null
            return ;;
        --seed|--horizon|--set|--replications|--threads|--trace-account|--trace-region|--trace-image|--trace-kind)
            return ;;
    esac

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help --version" -- "$cur"))
        else
            # `amisim SCENARIO` is `amisim run SCENARIO`
            COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        fi
        return
    fi

    if [[ $cmd == help ]]; then
        COMPREPLY=($(compgen -W "run validate explain policy plot sweep import" -- "$cur"))
        return
    fi

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_amisim_options "$cmd")" -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace 2>/dev/null
        return
    fi

    case $cmd in
        plot|import)
            # OUTDIR: a folder
            COMPREPLY=($(compgen -d -- "$cur")) ;;
        *)
            # SCENARIO or FILE: YAML (or JSON for policy eval) files and folders
            COMPREPLY=($(compgen -f -X '!*.yaml' -- "$cur") $(compgen -f -X '!*.yml' -- "$cur")
                       $(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur")) ;;
    esac
    compopt -o filenames 2>/dev/null
} &&
    complete -F _amisim amisim

# ex: filetype=sh
