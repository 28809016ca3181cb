# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_rctr_global_optspecs
    string join \n root= runroot= log-level= storage-opt= h/help V/version
end

function __fish_rctr_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_rctr_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_rctr_using_subcommand
    set -l cmd (__fish_rctr_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c rctr -n "__fish_rctr_needs_command" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_needs_command" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_needs_command" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_needs_command" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_needs_command" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_needs_command" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "info" -d 'Display rctr and host information'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "doctor" -d 'Check that this host can run rootless containers, and say how to fix what cannot'
complete -c rctr -n "__fish_rctr_using_subcommand info" -s f -l format -d 'Output format: json, or a Go template (e.g. \'{{.Host.Kernel}}\')' -r
complete -c rctr -n "__fish_rctr_using_subcommand info" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand info" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand info" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand info" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand info" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand info" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand doctor" -s f -l format -d 'Output format: json (the checks as a list)' -r
complete -c rctr -n "__fish_rctr_using_subcommand doctor" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand doctor" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand doctor" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand doctor" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand doctor" -s V -l version -d 'Print version'
