# bash completion for docket(1): commands, options, case ids, staff,
# departments, categories and labels.  Installed by `make install` into
# bash-completion's folder; to try it by hand: source completion/docket.bash
#
# The candidates come from the program itself (`docket --complete WORDS`),
# which knows every command's options and reads the store named by -C,
# $DOCKET_DIR or the current folder, so this file never goes stale.

_docket()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	local prog=${COMP_WORDS[0]}
	local IFS=$'\n'
	local out

	out=$(command "$prog" --complete "${COMP_WORDS[@]:1:COMP_CWORD}" \
		2>/dev/null) || return 0
	case $out in
	@files)
		COMPREPLY=($(compgen -f -- "$cur"))
		;;
	@dirs)
		COMPREPLY=($(compgen -d -- "$cur"))
		;;
	*)
		COMPREPLY=($out)
		;;
	esac
	return 0
}

complete -F _docket docket
