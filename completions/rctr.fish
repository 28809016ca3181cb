# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_rctr_global_optspecs
    string join \n root= runroot= log-level= storage-opt= cgroup-manager= h/help V/version
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
complete -c rctr -n "__fish_rctr_needs_command" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_needs_command" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_needs_command" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_needs_command" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_needs_command" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "info" -d 'Display rctr and host information'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "doctor" -d 'Check that this host can run rootless containers, and say how to fix what cannot'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "pull" -d 'Pull images from a registry'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "images" -d 'List images in local storage'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "rmi" -d 'Remove images from local storage'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "tag" -d 'Add names to an image'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "untag" -d 'Remove names from an image'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "inspect" -d 'Display the configuration of containers or images'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "image" -d 'Manage images'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "login" -d 'Log in to a container registry'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "logout" -d 'Log out of a container registry'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "save" -d 'Save images to an archive'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "load" -d 'Load images from an archive'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "ps" -d 'List containers'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "run" -d 'Run a command in a new container'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "volume" -d 'Manage volumes'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "logs" -d 'Fetch the logs of one or more containers'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "stop" -d 'Stop one or more containers'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "kill" -d 'Kill one or more running containers with a specific signal'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "rm" -d 'Remove one or more containers'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "wait" -d 'Block on one or more containers'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "rename" -d 'Rename an existing container'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "port" -d 'List port mappings or a specific mapping for the container'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "exec" -d 'Run a process in a running container'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "start" -d 'Start one or more containers'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "restart" -d 'Restart one or more containers'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "create" -d 'Create but do not start a container'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "container" -d 'Manage containers'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "system" -d 'Manage rctr\'s storage and state'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "top" -d 'Display the running processes of a container'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "stats" -d 'Display a live stream of containers\' resource usage'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "attach" -d 'Attach to a running container (its output and signals)'
complete -c rctr -n "__fish_rctr_using_subcommand info" -s f -l format -d 'Output format: json, or a Go template (e.g. \'{{.Host.Kernel}}\')' -r
complete -c rctr -n "__fish_rctr_using_subcommand info" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand info" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand info" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand info" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand info" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand info" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand info" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand doctor" -s f -l format -d 'Output format: json (the checks as a list)' -r
complete -c rctr -n "__fish_rctr_using_subcommand doctor" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand doctor" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand doctor" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand doctor" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand doctor" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand pull" -l platform -d 'Choose OS/ARCH[/VARIANT] from a multi-platform image (default: this host\'s)' -r
complete -c rctr -n "__fish_rctr_using_subcommand pull" -l arch -d 'Use ARCH instead of the host\'s architecture' -r
complete -c rctr -n "__fish_rctr_using_subcommand pull" -l os -d 'Use OS instead of linux' -r
complete -c rctr -n "__fish_rctr_using_subcommand pull" -l variant -d 'Use VARIANT (e.g. v8 for arm64)' -r
complete -c rctr -n "__fish_rctr_using_subcommand pull" -l tls-verify -d 'Require HTTPS and verify certificates (default: registries.conf decides)' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand pull" -l authfile -d 'Path of the authentication file (default: $XDG_RUNTIME_DIR/containers/auth.json)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand pull" -l creds -d 'Credentials USERNAME[:PASSWORD] for the registry' -r
complete -c rctr -n "__fish_rctr_using_subcommand pull" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand pull" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand pull" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand pull" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand pull" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand pull" -s q -l quiet -d 'Print only the image ID'
complete -c rctr -n "__fish_rctr_using_subcommand pull" -s a -l all-tags -d 'Pull all tagged images of the repository (not supported)'
complete -c rctr -n "__fish_rctr_using_subcommand pull" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand pull" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand images" -s f -l filter -d 'Filter: dangling=true|false, reference=PATTERN, id=ID' -r
complete -c rctr -n "__fish_rctr_using_subcommand images" -l format -d 'Pretty-print with a Go template, or `json`' -r
complete -c rctr -n "__fish_rctr_using_subcommand images" -l sort -d 'Sort by created, id, repository, size or tag' -r
complete -c rctr -n "__fish_rctr_using_subcommand images" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand images" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand images" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand images" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand images" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand images" -s a -l all -d 'Show all images (rctr keeps no intermediate images: same as without)'
complete -c rctr -n "__fish_rctr_using_subcommand images" -l digests -d 'Show digests'
complete -c rctr -n "__fish_rctr_using_subcommand images" -s n -l noheading -d 'Do not print the header row'
complete -c rctr -n "__fish_rctr_using_subcommand images" -l no-trunc -d 'Do not truncate IDs'
complete -c rctr -n "__fish_rctr_using_subcommand images" -s q -l quiet -d 'Print only image IDs'
complete -c rctr -n "__fish_rctr_using_subcommand images" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand images" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -s a -l all -d 'Remove all images'
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -s f -l force -d 'Also remove images used by (stopped) containers, removing those containers, and images with several names referenced by ID'
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -s i -l ignore -d 'Do not fail for images that are not known'
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -l no-prune -d 'Accepted for podman compatibility (rctr keeps no intermediate images)'
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand tag" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand tag" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand tag" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand tag" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand tag" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand tag" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand tag" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand untag" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand untag" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand untag" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand untag" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand untag" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand untag" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand untag" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -s f -l format -d 'Format the output with a Go template, or `json`' -r
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -s t -l type -d 'Only look up objects of this type' -r -f -a "container\t''
image\t''
all\t''"
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -s s -l size -d 'Display the total file size (accepted; sizes are always shown)'
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load squash" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load squash" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load squash" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load squash" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load squash" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load squash" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load squash" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load squash" -f -a "ls" -d 'List images'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load squash" -f -a "list" -d 'List images'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load squash" -f -a "rm" -d 'Remove images'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load squash" -f -a "pull" -d 'Pull images from a registry'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load squash" -f -a "tag" -d 'Add names to an image'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load squash" -f -a "untag" -d 'Remove names from an image'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load squash" -f -a "inspect" -d 'Display the configuration of images'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load squash" -f -a "prune" -d 'Remove unused images'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load squash" -f -a "exists" -d 'Exit 0 if the image exists in the store, 1 if not'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load squash" -f -a "save" -d 'Save images to an archive'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load squash" -f -a "load" -d 'Load images from an archive'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load squash" -f -a "squash" -d 'Write an image\'s flattened root (and its config) to one squashfs file'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter: dangling=true|false, reference=PATTERN, id=ID' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -l format -d 'Pretty-print with a Go template, or `json`' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -l sort -d 'Sort by created, id, repository, size or tag' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -s a -l all -d 'Show all images (rctr keeps no intermediate images: same as without)'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -l digests -d 'Show digests'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -s n -l noheading -d 'Do not print the header row'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Do not truncate IDs'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only image IDs'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -s f -l filter -d 'Filter: dangling=true|false, reference=PATTERN, id=ID' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -l format -d 'Pretty-print with a Go template, or `json`' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -l sort -d 'Sort by created, id, repository, size or tag' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -s a -l all -d 'Show all images (rctr keeps no intermediate images: same as without)'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -l digests -d 'Show digests'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -s n -l noheading -d 'Do not print the header row'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -l no-trunc -d 'Do not truncate IDs'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only image IDs'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from rm" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from rm" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from rm" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from rm" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from rm" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from rm" -s a -l all -d 'Remove all images'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from rm" -s f -l force -d 'Also remove images used by (stopped) containers, removing those containers, and images with several names referenced by ID'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from rm" -s i -l ignore -d 'Do not fail for images that are not known'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from rm" -l no-prune -d 'Accepted for podman compatibility (rctr keeps no intermediate images)'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -l platform -d 'Choose OS/ARCH[/VARIANT] from a multi-platform image (default: this host\'s)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -l arch -d 'Use ARCH instead of the host\'s architecture' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -l os -d 'Use OS instead of linux' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -l variant -d 'Use VARIANT (e.g. v8 for arm64)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -l tls-verify -d 'Require HTTPS and verify certificates (default: registries.conf decides)' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -l authfile -d 'Path of the authentication file (default: $XDG_RUNTIME_DIR/containers/auth.json)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -l creds -d 'Credentials USERNAME[:PASSWORD] for the registry' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -s q -l quiet -d 'Print only the image ID'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -s a -l all-tags -d 'Pull all tagged images of the repository (not supported)'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from tag" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from tag" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from tag" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from tag" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from tag" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from tag" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from tag" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from untag" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from untag" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from untag" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from untag" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from untag" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from untag" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from untag" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format the output with a Go template, or `json`' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from inspect" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from inspect" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from inspect" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from inspect" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from inspect" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from prune" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from prune" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from prune" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from prune" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from prune" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all images not used by containers, not only dangling ones'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not ask for confirmation'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from exists" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from exists" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from exists" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from exists" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from exists" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from exists" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from exists" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -s o -l output -d 'Write to FILE (default: stdout, which must not be a terminal)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -l format -d 'Archive format' -r -f -a "oci-archive\t'An OCI image layout in a tar'
docker-archive\t'The `docker save` layout in a tar (podman\'s default)'"
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -s q -l quiet -d 'Suppress progress output'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -l compress -d 'Accepted for podman compatibility (layers are always written uncompressed)'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from load" -s i -l input -d 'Read from FILE (default: stdin)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from load" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from load" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from load" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from load" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from load" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from load" -s q -l quiet -d 'Suppress progress output'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from load" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from load" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from squash" -s o -l output -d 'The squashfs file to write (run it with `rctr run FILE CMD`)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from squash" -l compression -d 'Compression: lz4 (quickest start), zstd, gzip, xz or lzo' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from squash" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from squash" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from squash" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from squash" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from squash" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from squash" -s f -l force -d 'Overwrite FILE if it exists'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from squash" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from squash" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand login" -s u -l username -d 'Username' -r
complete -c rctr -n "__fish_rctr_using_subcommand login" -s p -l password -d 'Password (visible in the process list: prefer --password-stdin)' -r
complete -c rctr -n "__fish_rctr_using_subcommand login" -l authfile -d 'Path of the authentication file' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand login" -l tls-verify -d 'Require HTTPS and verify certificates' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand login" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand login" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand login" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand login" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand login" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand login" -l password-stdin -d 'Read the password from stdin'
complete -c rctr -n "__fish_rctr_using_subcommand login" -l get-login -d 'Print the username stored for REGISTRY and exit'
complete -c rctr -n "__fish_rctr_using_subcommand login" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand login" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand logout" -l authfile -d 'Path of the authentication file' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand logout" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand logout" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand logout" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand logout" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand logout" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand logout" -s a -l all -d 'Remove the credentials of all registries'
complete -c rctr -n "__fish_rctr_using_subcommand logout" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand logout" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand save" -s o -l output -d 'Write to FILE (default: stdout, which must not be a terminal)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand save" -l format -d 'Archive format' -r -f -a "oci-archive\t'An OCI image layout in a tar'
docker-archive\t'The `docker save` layout in a tar (podman\'s default)'"
complete -c rctr -n "__fish_rctr_using_subcommand save" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand save" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand save" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand save" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand save" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand save" -s q -l quiet -d 'Suppress progress output'
complete -c rctr -n "__fish_rctr_using_subcommand save" -l compress -d 'Accepted for podman compatibility (layers are always written uncompressed)'
complete -c rctr -n "__fish_rctr_using_subcommand save" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctr -n "__fish_rctr_using_subcommand save" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand load" -s i -l input -d 'Read from FILE (default: stdin)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand load" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand load" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand load" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand load" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand load" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand load" -s q -l quiet -d 'Suppress progress output'
complete -c rctr -n "__fish_rctr_using_subcommand load" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand load" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand ps" -s n -l last -d 'Print the n last created containers (all states)' -r
complete -c rctr -n "__fish_rctr_using_subcommand ps" -s f -l filter -d 'Filter output based on conditions given (id, name, status, ancestor, label, exited, before, since, until)' -r
complete -c rctr -n "__fish_rctr_using_subcommand ps" -l format -d 'Pretty-print containers to JSON or using a Go template' -r
complete -c rctr -n "__fish_rctr_using_subcommand ps" -l sort -d 'Sort output by: command, created, id, image, names, runningfor, status' -r
complete -c rctr -n "__fish_rctr_using_subcommand ps" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand ps" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand ps" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand ps" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand ps" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand ps" -s a -l all -d 'Show all the containers, default is only running containers'
complete -c rctr -n "__fish_rctr_using_subcommand ps" -s q -l quiet -d 'Print only the container IDs'
complete -c rctr -n "__fish_rctr_using_subcommand ps" -l no-trunc -d 'Do not truncate the output'
complete -c rctr -n "__fish_rctr_using_subcommand ps" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand ps" -l noheading -d 'Do not print headers'
complete -c rctr -n "__fish_rctr_using_subcommand ps" -l external -d 'Show containers in storage not controlled by rctr (accepted; rctr has none)'
complete -c rctr -n "__fish_rctr_using_subcommand ps" -s s -l size -d 'Display the total file sizes (accepted; not computed)'
complete -c rctr -n "__fish_rctr_using_subcommand ps" -s p -l pod -d 'Display info about pods (accepted; rctr has no pods)'
complete -c rctr -n "__fish_rctr_using_subcommand ps" -l ns -d 'Display namespace information (accepted)'
complete -c rctr -n "__fish_rctr_using_subcommand ps" -l sync -d 'Sync container state (accepted: rctr\'s state is always checked)'
complete -c rctr -n "__fish_rctr_using_subcommand ps" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand ps" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand run" -l sig-proxy -d 'Forward signals to the container (always on)' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand run" -l name -d 'Assign a name to the container' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -s e -l env -d 'Set environment variables (VAR=value, VAR to pass the host\'s value, PREFIX* for every host variable starting with PREFIX)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l env-file -d 'Read environment variables from a file (VAR=value lines)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand run" -s w -l workdir -d 'Working directory inside the container' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -s u -l user -d 'Run as USER[:GROUP] (names or numbers, resolved in the image)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l entrypoint -d 'Override the image\'s entrypoint (a string, or a JSON array)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -s v -l volume -d 'Bind mount or volume: SOURCE:DEST[:ro|rw|z|Z|nocopy], or DEST for an anonymous volume' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l mount -d 'Mount: type=bind|volume|tmpfs,source=…,target=…[,readonly]' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l tmpfs -d 'Mount a tmpfs at DEST' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l device -d 'Add a host device (HOST[:CONTAINER][:PERMISSIONS], the host\'s node bound in) or a CDI device (VENDOR/CLASS=NAME, NAME=all for every device of the kind; spec files in /etc/cdi, /var/run/cdi and $XDG_CONFIG_HOME/cdi)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l gpus -d 'GPU devices to add (all, or an index): the CDI device nvidia.com/gpu=VALUE' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l read-only-tmpfs -d 'With --read-only, mount tmpfs on /run, /tmp and /var/tmp' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand run" -s h -l hostname -d 'Container hostname (default: the first 12 characters of its ID)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l network -d 'Network mode: slirp4netns[:mtu=N,cidr=NET/P,allow_host_loopback=true,enable_ipv6=true] (default: user-mode networking inside rctr\'s monitor; containers.conf\'s default_rootless_network_cmd may choose pasta), pasta[:OPTIONS], container:NAME|ID (its network namespace), none (only lo) or host' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l pull -d 'Pull policy: missing, always, never, newer' -r -f -a "missing\t'Pull only when the image is not in the store (default)'
always\t'Always pull (a no-op download when nothing changed)'
never\t'Never pull: fail when the image is not in the store'
newer\t'Pull when the registry has a different manifest than the stored one (checks the registry; like `always` but quiet when nothing changed)'"
complete -c rctr -n "__fish_rctr_using_subcommand run" -l cap-add -d 'Add Linux capabilities (or ALL)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l cap-drop -d 'Drop Linux capabilities (or ALL)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l security-opt -d 'no-new-privileges, seccomp=unconfined, label=…, apparmor=…' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l root-emulation -d 'Root emulation: chown, setuid and the like succeed without effect, so package managers work where only your own ID is mapped (default: on exactly then, with no subordinate IDs); false turns it off' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand run" -l ulimit -d 'Resource limits: TYPE=SOFT[:HARD], e.g. nofile=1024:2048' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l userns -d 'User namespace mode: "" (default) or keep-id' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -s l -l label -d 'Set metadata labels (KEY=VALUE)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l stop-signal -d 'Signal to stop the container (default: the image\'s, else SIGTERM)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l stop-timeout -d 'Seconds to wait before killing the container on stop' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -s p -l publish -d 'Publish a container\'s port to the host ([[IP:][HOSTPORT]:]CONTAINERPORT[/PROTOCOL], ranges as START-END)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l add-host -d 'Add a line to /etc/hosts (HOST:IP)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l dns -d 'Nameserver for /etc/resolv.conf (replaces the host\'s)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l dns-search -d 'Search domain for /etc/resolv.conf' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l dns-option -d 'Option for /etc/resolv.conf (e.g. ndots:2)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l http-proxy -d 'Pass the host\'s proxy variables (http_proxy, https_proxy, ftp_proxy, no_proxy, and their upper-case spellings) to the container' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand run" -l annotation -d 'Add an annotation to the container\'s OCI spec (KEY=VALUE)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l cidfile -d 'Write the container ID to FILE' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand run" -l pidfile -d 'Write the container\'s PID 1 (as the host sees it) to FILE when it starts' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand run" -s m -l memory -d 'Memory limit, e.g. 512m (cgroup v2 memory.max; where the host delegates no cgroup a warning says why it is not applied)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l memory-swap -d 'Memory plus swap limit (-1: unlimited swap)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l memory-reservation -d 'Memory soft limit (memory.low)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l cpus -d 'CPU limit in CPUs, e.g. 1.5 (cpu.max)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -s c -l cpu-shares -d 'CPU shares, relative weight (cpu.weight)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l cpuset-cpus -d 'CPUs the container may use, e.g. 0-2,4' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l cpuset-mems -d 'Memory nodes the container may use, e.g. 0' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l pids-limit -d 'Process limit (pids.max; -1 or 0: unlimited)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l cgroups -d 'cgroups for the container: enabled, disabled, or required (fail when a limit cannot be applied)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l cgroup-parent -d 'Parent of the container\'s cgroup: a slice (systemd manager, e.g. user.slice) or an absolute cgroup path delegated to you (cgroupfs manager)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l log-driver -d 'Logging driver (accepted for podman compatibility; rctr uses k8s-file)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l log-opt -d 'Log option: max-size=SIZE (at SIZE the log starts over; default 128MiB), path=, tag=' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l platform -d 'Choose OS/ARCH[/VARIANT] from a multi-platform image (default: this host\'s)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l arch -d 'Use ARCH instead of the host\'s architecture' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l os -d 'Use OS instead of linux' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l variant -d 'Use VARIANT (e.g. v8 for arm64)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l tls-verify -d 'Require HTTPS and verify certificates (default: registries.conf decides)' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand run" -l authfile -d 'Path of the authentication file (default: $XDG_RUNTIME_DIR/containers/auth.json)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand run" -l creds -d 'Credentials USERNAME[:PASSWORD] for the registry' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand run" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand run" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand run" -s d -l detach -d 'Run in the background and print the container ID'
complete -c rctr -n "__fish_rctr_using_subcommand run" -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand run" -l rm -d 'Remove the container (and its anonymous volumes) when it exits'
complete -c rctr -n "__fish_rctr_using_subcommand run" -l env-host -d 'Pass the whole host environment (before --env-file and --env)'
complete -c rctr -n "__fish_rctr_using_subcommand run" -l read-only -d 'Make the root filesystem read-only'
complete -c rctr -n "__fish_rctr_using_subcommand run" -s i -l interactive -d 'Keep STDIN open'
complete -c rctr -n "__fish_rctr_using_subcommand run" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c rctr -n "__fish_rctr_using_subcommand run" -l init -d 'Run a minimal init as PID 1 that forwards signals and reaps zombies'
complete -c rctr -n "__fish_rctr_using_subcommand run" -l privileged -d 'All capabilities, no seccomp, no masked paths'
complete -c rctr -n "__fish_rctr_using_subcommand run" -s q -l quiet -d 'Suppress pull progress'
complete -c rctr -n "__fish_rctr_using_subcommand run" -s P -l publish-all -d 'Publish every port the image exposes on a random host port'
complete -c rctr -n "__fish_rctr_using_subcommand run" -l no-hosts -d 'Do not create /etc/hosts for the container (keep the image\'s)'
complete -c rctr -n "__fish_rctr_using_subcommand run" -l rootfs -d 'The IMAGE argument is a root filesystem: a directory, or a squashfs file'
complete -c rctr -n "__fish_rctr_using_subcommand run" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and not __fish_seen_subcommand_from create ls rm inspect prune" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand volume; and not __fish_seen_subcommand_from create ls rm inspect prune" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand volume; and not __fish_seen_subcommand_from create ls rm inspect prune" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and not __fish_seen_subcommand_from create ls rm inspect prune" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and not __fish_seen_subcommand_from create ls rm inspect prune" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and not __fish_seen_subcommand_from create ls rm inspect prune" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and not __fish_seen_subcommand_from create ls rm inspect prune" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and not __fish_seen_subcommand_from create ls rm inspect prune" -f -a "create" -d 'Create a new volume'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and not __fish_seen_subcommand_from create ls rm inspect prune" -f -a "ls" -d 'List volumes'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and not __fish_seen_subcommand_from create ls rm inspect prune" -f -a "rm" -d 'Remove one or more volumes'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and not __fish_seen_subcommand_from create ls rm inspect prune" -f -a "inspect" -d 'Display detailed information on one or more volumes'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and not __fish_seen_subcommand_from create ls rm inspect prune" -f -a "prune" -d 'Remove all volumes no container uses'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from create" -s l -l label -d 'Set metadata (KEY=VALUE)' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from create" -s d -l driver -d 'Volume driver (only "local")' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from create" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from create" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from create" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from create" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from create" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from create" -l ignore -d 'Succeed when the volume already exists'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from ls" -l format -d 'Go template or json' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from ls" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from ls" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from ls" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from ls" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from ls" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only the volume names'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from ls" -l noheading -d 'Do not print the header'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from rm" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from rm" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from rm" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from rm" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from rm" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from rm" -s f -l force -d 'Remove the containers using them first'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from rm" -s a -l all -d 'Remove all volumes'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Go template or json' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s a -l all -d 'Inspect all volumes'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from prune" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from prune" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from prune" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from prune" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from prune" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not ask for confirmation'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand volume; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand logs" -l since -d 'Show logs since TIMESTAMP (RFC 3339, date, Unix time, or a duration like 10m)' -r
complete -c rctr -n "__fish_rctr_using_subcommand logs" -l until -d 'Show logs until TIMESTAMP' -r
complete -c rctr -n "__fish_rctr_using_subcommand logs" -l tail -d 'Output the specified number of lines at the end of the logs (-1: all)' -r
complete -c rctr -n "__fish_rctr_using_subcommand logs" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand logs" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand logs" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand logs" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand logs" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand logs" -s f -l follow -d 'Follow log output (ends when the container exits)'
complete -c rctr -n "__fish_rctr_using_subcommand logs" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand logs" -s n -l names -d 'Output the container name (or ID) before each line'
complete -c rctr -n "__fish_rctr_using_subcommand logs" -s t -l timestamps -d 'Output the timestamps of the log entries'
complete -c rctr -n "__fish_rctr_using_subcommand logs" -l color -d 'Output the log in color (accepted)'
complete -c rctr -n "__fish_rctr_using_subcommand logs" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand logs" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand stop" -s t -l time -d 'Seconds to wait for stop before killing the container (default: its StopTimeout, 10)' -r
complete -c rctr -n "__fish_rctr_using_subcommand stop" -l cidfile -d 'Read the container ID from the file (accepted for podman compatibility)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand stop" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand stop" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand stop" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand stop" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand stop" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand stop" -s a -l all -d 'Stop all running containers'
complete -c rctr -n "__fish_rctr_using_subcommand stop" -s i -l ignore -d 'Ignore errors when a specified container is missing'
complete -c rctr -n "__fish_rctr_using_subcommand stop" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand stop" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand stop" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand kill" -s s -l signal -d 'Signal to send to the container' -r
complete -c rctr -n "__fish_rctr_using_subcommand kill" -l cidfile -d 'Read the container ID from the file (accepted for podman compatibility)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand kill" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand kill" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand kill" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand kill" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand kill" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand kill" -s a -l all -d 'Signal all running containers'
complete -c rctr -n "__fish_rctr_using_subcommand kill" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand kill" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand kill" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand rm" -s t -l time -d 'Seconds to wait for stop before killing the container (with --force)' -r
complete -c rctr -n "__fish_rctr_using_subcommand rm" -l cidfile -d 'Read the container ID from the file' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand rm" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand rm" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand rm" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand rm" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand rm" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand rm" -s a -l all -d 'Remove all containers'
complete -c rctr -n "__fish_rctr_using_subcommand rm" -s f -l force -d 'Stop a running container first, then remove it; no error for missing containers'
complete -c rctr -n "__fish_rctr_using_subcommand rm" -s i -l ignore -d 'Ignore errors when a specified container is missing'
complete -c rctr -n "__fish_rctr_using_subcommand rm" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand rm" -s v -l volumes -d 'Remove the anonymous volumes associated with the container'
complete -c rctr -n "__fish_rctr_using_subcommand rm" -l depend -d 'Remove the containers that depend on it (join its network) first'
complete -c rctr -n "__fish_rctr_using_subcommand rm" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand rm" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand wait" -l condition -d 'Condition to wait on (accepted: stopped, exited; rctr waits for the container to stop)' -r
complete -c rctr -n "__fish_rctr_using_subcommand wait" -s i -l interval -d 'Time interval to wait before polling (accepted: rctr does not poll)' -r
complete -c rctr -n "__fish_rctr_using_subcommand wait" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand wait" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand wait" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand wait" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand wait" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand wait" -l ignore -d 'Ignore errors when a specified container is missing'
complete -c rctr -n "__fish_rctr_using_subcommand wait" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand wait" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand wait" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand rename" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand rename" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand rename" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand rename" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand rename" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand rename" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand rename" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand port" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand port" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand port" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand port" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand port" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand port" -s a -l all -d 'Display port information for all containers'
complete -c rctr -n "__fish_rctr_using_subcommand port" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand port" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand port" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand exec" -s e -l env -d 'Set environment variables (`KEY=VALUE`, or `KEY` to pass rctr\'s own value)' -r
complete -c rctr -n "__fish_rctr_using_subcommand exec" -l env-file -d 'Read environment variables from a file (`KEY=VALUE` lines, # comments)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand exec" -s u -l user -d 'Run as user[:group] (names from the container\'s /etc/passwd and /etc/group)' -r
complete -c rctr -n "__fish_rctr_using_subcommand exec" -s w -l workdir -d 'Working directory inside the container' -r
complete -c rctr -n "__fish_rctr_using_subcommand exec" -l detach-keys -d 'Key sequence for detaching (accepted)' -r
complete -c rctr -n "__fish_rctr_using_subcommand exec" -l preserve-fds -d 'Pass N additional file descriptors (accepted only as 0)' -r
complete -c rctr -n "__fish_rctr_using_subcommand exec" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand exec" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand exec" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand exec" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand exec" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand exec" -s d -l detach -d 'Run the command in the background and print nothing'
complete -c rctr -n "__fish_rctr_using_subcommand exec" -s i -l interactive -d 'Keep STDIN open'
complete -c rctr -n "__fish_rctr_using_subcommand exec" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c rctr -n "__fish_rctr_using_subcommand exec" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand exec" -l privileged -d 'Give extended privileges to the command (all capabilities, no seccomp)'
complete -c rctr -n "__fish_rctr_using_subcommand exec" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand exec" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand start" -l filter -d 'Filter the containers (with --all): id, name, status, ancestor, label, …' -r
complete -c rctr -n "__fish_rctr_using_subcommand start" -l detach-keys -d 'Key sequence for detaching (accepted)' -r
complete -c rctr -n "__fish_rctr_using_subcommand start" -l sig-proxy -d 'Forward signals to the process (accepted: always on when attached)' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand start" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand start" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand start" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand start" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand start" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand start" -s a -l attach -d 'Attach the container\'s STDOUT and STDERR (one container only)'
complete -c rctr -n "__fish_rctr_using_subcommand start" -s i -l interactive -d 'Attach the container\'s STDIN (one container only; implies --attach)'
complete -c rctr -n "__fish_rctr_using_subcommand start" -l all -d 'Start all containers that are not running'
complete -c rctr -n "__fish_rctr_using_subcommand start" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand start" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand start" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand restart" -s t -l time -d 'Seconds to wait for stop before killing the container' -r
complete -c rctr -n "__fish_rctr_using_subcommand restart" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand restart" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand restart" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand restart" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand restart" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand restart" -s a -l all -d 'Restart all containers'
complete -c rctr -n "__fish_rctr_using_subcommand restart" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand restart" -l running -d 'Restart only running containers'
complete -c rctr -n "__fish_rctr_using_subcommand restart" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand restart" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand create" -l name -d 'Assign a name to the container' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -s e -l env -d 'Set environment variables (VAR=value, VAR to pass the host\'s value, PREFIX* for every host variable starting with PREFIX)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l env-file -d 'Read environment variables from a file (VAR=value lines)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand create" -s w -l workdir -d 'Working directory inside the container' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -s u -l user -d 'Run as USER[:GROUP] (names or numbers, resolved in the image)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l entrypoint -d 'Override the image\'s entrypoint (a string, or a JSON array)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -s v -l volume -d 'Bind mount or volume: SOURCE:DEST[:ro|rw|z|Z|nocopy], or DEST for an anonymous volume' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l mount -d 'Mount: type=bind|volume|tmpfs,source=…,target=…[,readonly]' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l tmpfs -d 'Mount a tmpfs at DEST' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l device -d 'Add a host device (HOST[:CONTAINER][:PERMISSIONS], the host\'s node bound in) or a CDI device (VENDOR/CLASS=NAME, NAME=all for every device of the kind; spec files in /etc/cdi, /var/run/cdi and $XDG_CONFIG_HOME/cdi)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l gpus -d 'GPU devices to add (all, or an index): the CDI device nvidia.com/gpu=VALUE' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l read-only-tmpfs -d 'With --read-only, mount tmpfs on /run, /tmp and /var/tmp' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand create" -s h -l hostname -d 'Container hostname (default: the first 12 characters of its ID)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l network -d 'Network mode: slirp4netns[:mtu=N,cidr=NET/P,allow_host_loopback=true,enable_ipv6=true] (default: user-mode networking inside rctr\'s monitor; containers.conf\'s default_rootless_network_cmd may choose pasta), pasta[:OPTIONS], container:NAME|ID (its network namespace), none (only lo) or host' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l pull -d 'Pull policy: missing, always, never, newer' -r -f -a "missing\t'Pull only when the image is not in the store (default)'
always\t'Always pull (a no-op download when nothing changed)'
never\t'Never pull: fail when the image is not in the store'
newer\t'Pull when the registry has a different manifest than the stored one (checks the registry; like `always` but quiet when nothing changed)'"
complete -c rctr -n "__fish_rctr_using_subcommand create" -l cap-add -d 'Add Linux capabilities (or ALL)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l cap-drop -d 'Drop Linux capabilities (or ALL)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l security-opt -d 'no-new-privileges, seccomp=unconfined, label=…, apparmor=…' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l root-emulation -d 'Root emulation: chown, setuid and the like succeed without effect, so package managers work where only your own ID is mapped (default: on exactly then, with no subordinate IDs); false turns it off' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand create" -l ulimit -d 'Resource limits: TYPE=SOFT[:HARD], e.g. nofile=1024:2048' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l userns -d 'User namespace mode: "" (default) or keep-id' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -s l -l label -d 'Set metadata labels (KEY=VALUE)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l stop-signal -d 'Signal to stop the container (default: the image\'s, else SIGTERM)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l stop-timeout -d 'Seconds to wait before killing the container on stop' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -s p -l publish -d 'Publish a container\'s port to the host ([[IP:][HOSTPORT]:]CONTAINERPORT[/PROTOCOL], ranges as START-END)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l add-host -d 'Add a line to /etc/hosts (HOST:IP)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l dns -d 'Nameserver for /etc/resolv.conf (replaces the host\'s)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l dns-search -d 'Search domain for /etc/resolv.conf' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l dns-option -d 'Option for /etc/resolv.conf (e.g. ndots:2)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l http-proxy -d 'Pass the host\'s proxy variables (http_proxy, https_proxy, ftp_proxy, no_proxy, and their upper-case spellings) to the container' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand create" -l annotation -d 'Add an annotation to the container\'s OCI spec (KEY=VALUE)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l cidfile -d 'Write the container ID to FILE' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand create" -l pidfile -d 'Write the container\'s PID 1 (as the host sees it) to FILE when it starts' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand create" -s m -l memory -d 'Memory limit, e.g. 512m (cgroup v2 memory.max; where the host delegates no cgroup a warning says why it is not applied)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l memory-swap -d 'Memory plus swap limit (-1: unlimited swap)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l memory-reservation -d 'Memory soft limit (memory.low)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l cpus -d 'CPU limit in CPUs, e.g. 1.5 (cpu.max)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -s c -l cpu-shares -d 'CPU shares, relative weight (cpu.weight)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l cpuset-cpus -d 'CPUs the container may use, e.g. 0-2,4' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l cpuset-mems -d 'Memory nodes the container may use, e.g. 0' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l pids-limit -d 'Process limit (pids.max; -1 or 0: unlimited)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l cgroups -d 'cgroups for the container: enabled, disabled, or required (fail when a limit cannot be applied)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l cgroup-parent -d 'Parent of the container\'s cgroup: a slice (systemd manager, e.g. user.slice) or an absolute cgroup path delegated to you (cgroupfs manager)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l log-driver -d 'Logging driver (accepted for podman compatibility; rctr uses k8s-file)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l log-opt -d 'Log option: max-size=SIZE (at SIZE the log starts over; default 128MiB), path=, tag=' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l platform -d 'Choose OS/ARCH[/VARIANT] from a multi-platform image (default: this host\'s)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l arch -d 'Use ARCH instead of the host\'s architecture' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l os -d 'Use OS instead of linux' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l variant -d 'Use VARIANT (e.g. v8 for arm64)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l tls-verify -d 'Require HTTPS and verify certificates (default: registries.conf decides)' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand create" -l authfile -d 'Path of the authentication file (default: $XDG_RUNTIME_DIR/containers/auth.json)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand create" -l creds -d 'Credentials USERNAME[:PASSWORD] for the registry' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand create" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand create" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand create" -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand create" -l rm -d 'Remove the container (and its anonymous volumes) when it exits'
complete -c rctr -n "__fish_rctr_using_subcommand create" -l env-host -d 'Pass the whole host environment (before --env-file and --env)'
complete -c rctr -n "__fish_rctr_using_subcommand create" -l read-only -d 'Make the root filesystem read-only'
complete -c rctr -n "__fish_rctr_using_subcommand create" -s i -l interactive -d 'Keep STDIN open'
complete -c rctr -n "__fish_rctr_using_subcommand create" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c rctr -n "__fish_rctr_using_subcommand create" -l init -d 'Run a minimal init as PID 1 that forwards signals and reaps zombies'
complete -c rctr -n "__fish_rctr_using_subcommand create" -l privileged -d 'All capabilities, no seccomp, no masked paths'
complete -c rctr -n "__fish_rctr_using_subcommand create" -s q -l quiet -d 'Suppress pull progress'
complete -c rctr -n "__fish_rctr_using_subcommand create" -s P -l publish-all -d 'Publish every port the image exposes on a random host port'
complete -c rctr -n "__fish_rctr_using_subcommand create" -l no-hosts -d 'Do not create /etc/hosts for the container (keep the image\'s)'
complete -c rctr -n "__fish_rctr_using_subcommand create" -l rootfs -d 'The IMAGE argument is a root filesystem: a directory, or a squashfs file'
complete -c rctr -n "__fish_rctr_using_subcommand create" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "ls" -d 'List containers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "list" -d 'List containers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "run" -d 'Run a command in a new container'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "create" -d 'Create but do not start a container'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "start" -d 'Start one or more containers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "stop" -d 'Stop one or more containers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "restart" -d 'Restart one or more containers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "kill" -d 'Kill one or more running containers with a specific signal'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "rm" -d 'Remove one or more containers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "inspect" -d 'Display the configuration of containers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "logs" -d 'Fetch the logs of one or more containers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "exec" -d 'Run a process in a running container'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "wait" -d 'Block on one or more containers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "port" -d 'List port mappings or a specific mapping for the container'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "rename" -d 'Rename an existing container'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "top" -d 'Display the running processes of a container'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "stats" -d 'Display a live stream of containers\' resource usage'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "attach" -d 'Attach to a running container (its output and signals)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "prune" -d 'Remove all stopped containers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and not __fish_seen_subcommand_from ls list run create start stop restart kill rm inspect logs exec wait port rename top stats attach prune exists" -f -a "exists" -d 'Exit 0 if the container exists, 1 if not'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -s n -l last -d 'Print the n last created containers (all states)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter output based on conditions given (id, name, status, ancestor, label, exited, before, since, until)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -l format -d 'Pretty-print containers to JSON or using a Go template' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -l sort -d 'Sort output by: command, created, id, image, names, runningfor, status' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -s a -l all -d 'Show all the containers, default is only running containers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only the container IDs'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Do not truncate the output'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -l noheading -d 'Do not print headers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -l external -d 'Show containers in storage not controlled by rctr (accepted; rctr has none)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -s s -l size -d 'Display the total file sizes (accepted; not computed)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -s p -l pod -d 'Display info about pods (accepted; rctr has no pods)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -l ns -d 'Display namespace information (accepted)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -l sync -d 'Sync container state (accepted: rctr\'s state is always checked)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -s n -l last -d 'Print the n last created containers (all states)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -s f -l filter -d 'Filter output based on conditions given (id, name, status, ancestor, label, exited, before, since, until)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -l format -d 'Pretty-print containers to JSON or using a Go template' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -l sort -d 'Sort output by: command, created, id, image, names, runningfor, status' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -s a -l all -d 'Show all the containers, default is only running containers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only the container IDs'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -l no-trunc -d 'Do not truncate the output'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -l noheading -d 'Do not print headers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -l external -d 'Show containers in storage not controlled by rctr (accepted; rctr has none)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -s s -l size -d 'Display the total file sizes (accepted; not computed)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -s p -l pod -d 'Display info about pods (accepted; rctr has no pods)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -l ns -d 'Display namespace information (accepted)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -l sync -d 'Sync container state (accepted: rctr\'s state is always checked)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l sig-proxy -d 'Forward signals to the container (always on)' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l name -d 'Assign a name to the container' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -s e -l env -d 'Set environment variables (VAR=value, VAR to pass the host\'s value, PREFIX* for every host variable starting with PREFIX)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l env-file -d 'Read environment variables from a file (VAR=value lines)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -s w -l workdir -d 'Working directory inside the container' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -s u -l user -d 'Run as USER[:GROUP] (names or numbers, resolved in the image)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l entrypoint -d 'Override the image\'s entrypoint (a string, or a JSON array)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -s v -l volume -d 'Bind mount or volume: SOURCE:DEST[:ro|rw|z|Z|nocopy], or DEST for an anonymous volume' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l mount -d 'Mount: type=bind|volume|tmpfs,source=…,target=…[,readonly]' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l tmpfs -d 'Mount a tmpfs at DEST' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l device -d 'Add a host device (HOST[:CONTAINER][:PERMISSIONS], the host\'s node bound in) or a CDI device (VENDOR/CLASS=NAME, NAME=all for every device of the kind; spec files in /etc/cdi, /var/run/cdi and $XDG_CONFIG_HOME/cdi)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l gpus -d 'GPU devices to add (all, or an index): the CDI device nvidia.com/gpu=VALUE' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l read-only-tmpfs -d 'With --read-only, mount tmpfs on /run, /tmp and /var/tmp' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -s h -l hostname -d 'Container hostname (default: the first 12 characters of its ID)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l network -d 'Network mode: slirp4netns[:mtu=N,cidr=NET/P,allow_host_loopback=true,enable_ipv6=true] (default: user-mode networking inside rctr\'s monitor; containers.conf\'s default_rootless_network_cmd may choose pasta), pasta[:OPTIONS], container:NAME|ID (its network namespace), none (only lo) or host' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l pull -d 'Pull policy: missing, always, never, newer' -r -f -a "missing\t'Pull only when the image is not in the store (default)'
always\t'Always pull (a no-op download when nothing changed)'
never\t'Never pull: fail when the image is not in the store'
newer\t'Pull when the registry has a different manifest than the stored one (checks the registry; like `always` but quiet when nothing changed)'"
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l cap-add -d 'Add Linux capabilities (or ALL)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l cap-drop -d 'Drop Linux capabilities (or ALL)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l security-opt -d 'no-new-privileges, seccomp=unconfined, label=…, apparmor=…' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l root-emulation -d 'Root emulation: chown, setuid and the like succeed without effect, so package managers work where only your own ID is mapped (default: on exactly then, with no subordinate IDs); false turns it off' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l ulimit -d 'Resource limits: TYPE=SOFT[:HARD], e.g. nofile=1024:2048' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l userns -d 'User namespace mode: "" (default) or keep-id' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -s l -l label -d 'Set metadata labels (KEY=VALUE)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l stop-signal -d 'Signal to stop the container (default: the image\'s, else SIGTERM)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l stop-timeout -d 'Seconds to wait before killing the container on stop' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -s p -l publish -d 'Publish a container\'s port to the host ([[IP:][HOSTPORT]:]CONTAINERPORT[/PROTOCOL], ranges as START-END)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l add-host -d 'Add a line to /etc/hosts (HOST:IP)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l dns -d 'Nameserver for /etc/resolv.conf (replaces the host\'s)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l dns-search -d 'Search domain for /etc/resolv.conf' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l dns-option -d 'Option for /etc/resolv.conf (e.g. ndots:2)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l http-proxy -d 'Pass the host\'s proxy variables (http_proxy, https_proxy, ftp_proxy, no_proxy, and their upper-case spellings) to the container' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l annotation -d 'Add an annotation to the container\'s OCI spec (KEY=VALUE)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l cidfile -d 'Write the container ID to FILE' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l pidfile -d 'Write the container\'s PID 1 (as the host sees it) to FILE when it starts' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -s m -l memory -d 'Memory limit, e.g. 512m (cgroup v2 memory.max; where the host delegates no cgroup a warning says why it is not applied)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l memory-swap -d 'Memory plus swap limit (-1: unlimited swap)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l memory-reservation -d 'Memory soft limit (memory.low)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l cpus -d 'CPU limit in CPUs, e.g. 1.5 (cpu.max)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -s c -l cpu-shares -d 'CPU shares, relative weight (cpu.weight)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l cpuset-cpus -d 'CPUs the container may use, e.g. 0-2,4' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l cpuset-mems -d 'Memory nodes the container may use, e.g. 0' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l pids-limit -d 'Process limit (pids.max; -1 or 0: unlimited)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l cgroups -d 'cgroups for the container: enabled, disabled, or required (fail when a limit cannot be applied)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l cgroup-parent -d 'Parent of the container\'s cgroup: a slice (systemd manager, e.g. user.slice) or an absolute cgroup path delegated to you (cgroupfs manager)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l log-driver -d 'Logging driver (accepted for podman compatibility; rctr uses k8s-file)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l log-opt -d 'Log option: max-size=SIZE (at SIZE the log starts over; default 128MiB), path=, tag=' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l platform -d 'Choose OS/ARCH[/VARIANT] from a multi-platform image (default: this host\'s)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l arch -d 'Use ARCH instead of the host\'s architecture' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l os -d 'Use OS instead of linux' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l variant -d 'Use VARIANT (e.g. v8 for arm64)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l tls-verify -d 'Require HTTPS and verify certificates (default: registries.conf decides)' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l authfile -d 'Path of the authentication file (default: $XDG_RUNTIME_DIR/containers/auth.json)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l creds -d 'Credentials USERNAME[:PASSWORD] for the registry' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -s d -l detach -d 'Run in the background and print the container ID'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l rm -d 'Remove the container (and its anonymous volumes) when it exits'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l env-host -d 'Pass the whole host environment (before --env-file and --env)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l read-only -d 'Make the root filesystem read-only'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -s i -l interactive -d 'Keep STDIN open'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l init -d 'Run a minimal init as PID 1 that forwards signals and reaps zombies'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l privileged -d 'All capabilities, no seccomp, no masked paths'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Suppress pull progress'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -s P -l publish-all -d 'Publish every port the image exposes on a random host port'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l no-hosts -d 'Do not create /etc/hosts for the container (keep the image\'s)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -l rootfs -d 'The IMAGE argument is a root filesystem: a directory, or a squashfs file'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l name -d 'Assign a name to the container' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -s e -l env -d 'Set environment variables (VAR=value, VAR to pass the host\'s value, PREFIX* for every host variable starting with PREFIX)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l env-file -d 'Read environment variables from a file (VAR=value lines)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -s w -l workdir -d 'Working directory inside the container' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -s u -l user -d 'Run as USER[:GROUP] (names or numbers, resolved in the image)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l entrypoint -d 'Override the image\'s entrypoint (a string, or a JSON array)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -s v -l volume -d 'Bind mount or volume: SOURCE:DEST[:ro|rw|z|Z|nocopy], or DEST for an anonymous volume' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l mount -d 'Mount: type=bind|volume|tmpfs,source=…,target=…[,readonly]' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l tmpfs -d 'Mount a tmpfs at DEST' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l device -d 'Add a host device (HOST[:CONTAINER][:PERMISSIONS], the host\'s node bound in) or a CDI device (VENDOR/CLASS=NAME, NAME=all for every device of the kind; spec files in /etc/cdi, /var/run/cdi and $XDG_CONFIG_HOME/cdi)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l gpus -d 'GPU devices to add (all, or an index): the CDI device nvidia.com/gpu=VALUE' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l read-only-tmpfs -d 'With --read-only, mount tmpfs on /run, /tmp and /var/tmp' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -s h -l hostname -d 'Container hostname (default: the first 12 characters of its ID)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l network -d 'Network mode: slirp4netns[:mtu=N,cidr=NET/P,allow_host_loopback=true,enable_ipv6=true] (default: user-mode networking inside rctr\'s monitor; containers.conf\'s default_rootless_network_cmd may choose pasta), pasta[:OPTIONS], container:NAME|ID (its network namespace), none (only lo) or host' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l pull -d 'Pull policy: missing, always, never, newer' -r -f -a "missing\t'Pull only when the image is not in the store (default)'
always\t'Always pull (a no-op download when nothing changed)'
never\t'Never pull: fail when the image is not in the store'
newer\t'Pull when the registry has a different manifest than the stored one (checks the registry; like `always` but quiet when nothing changed)'"
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l cap-add -d 'Add Linux capabilities (or ALL)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l cap-drop -d 'Drop Linux capabilities (or ALL)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l security-opt -d 'no-new-privileges, seccomp=unconfined, label=…, apparmor=…' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l root-emulation -d 'Root emulation: chown, setuid and the like succeed without effect, so package managers work where only your own ID is mapped (default: on exactly then, with no subordinate IDs); false turns it off' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l ulimit -d 'Resource limits: TYPE=SOFT[:HARD], e.g. nofile=1024:2048' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l userns -d 'User namespace mode: "" (default) or keep-id' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -s l -l label -d 'Set metadata labels (KEY=VALUE)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l stop-signal -d 'Signal to stop the container (default: the image\'s, else SIGTERM)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l stop-timeout -d 'Seconds to wait before killing the container on stop' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -s p -l publish -d 'Publish a container\'s port to the host ([[IP:][HOSTPORT]:]CONTAINERPORT[/PROTOCOL], ranges as START-END)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l add-host -d 'Add a line to /etc/hosts (HOST:IP)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l dns -d 'Nameserver for /etc/resolv.conf (replaces the host\'s)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l dns-search -d 'Search domain for /etc/resolv.conf' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l dns-option -d 'Option for /etc/resolv.conf (e.g. ndots:2)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l http-proxy -d 'Pass the host\'s proxy variables (http_proxy, https_proxy, ftp_proxy, no_proxy, and their upper-case spellings) to the container' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l annotation -d 'Add an annotation to the container\'s OCI spec (KEY=VALUE)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l cidfile -d 'Write the container ID to FILE' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l pidfile -d 'Write the container\'s PID 1 (as the host sees it) to FILE when it starts' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -s m -l memory -d 'Memory limit, e.g. 512m (cgroup v2 memory.max; where the host delegates no cgroup a warning says why it is not applied)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l memory-swap -d 'Memory plus swap limit (-1: unlimited swap)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l memory-reservation -d 'Memory soft limit (memory.low)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l cpus -d 'CPU limit in CPUs, e.g. 1.5 (cpu.max)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -s c -l cpu-shares -d 'CPU shares, relative weight (cpu.weight)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l cpuset-cpus -d 'CPUs the container may use, e.g. 0-2,4' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l cpuset-mems -d 'Memory nodes the container may use, e.g. 0' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l pids-limit -d 'Process limit (pids.max; -1 or 0: unlimited)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l cgroups -d 'cgroups for the container: enabled, disabled, or required (fail when a limit cannot be applied)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l cgroup-parent -d 'Parent of the container\'s cgroup: a slice (systemd manager, e.g. user.slice) or an absolute cgroup path delegated to you (cgroupfs manager)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l log-driver -d 'Logging driver (accepted for podman compatibility; rctr uses k8s-file)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l log-opt -d 'Log option: max-size=SIZE (at SIZE the log starts over; default 128MiB), path=, tag=' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l platform -d 'Choose OS/ARCH[/VARIANT] from a multi-platform image (default: this host\'s)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l arch -d 'Use ARCH instead of the host\'s architecture' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l os -d 'Use OS instead of linux' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l variant -d 'Use VARIANT (e.g. v8 for arm64)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l tls-verify -d 'Require HTTPS and verify certificates (default: registries.conf decides)' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l authfile -d 'Path of the authentication file (default: $XDG_RUNTIME_DIR/containers/auth.json)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l creds -d 'Credentials USERNAME[:PASSWORD] for the registry' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l rm -d 'Remove the container (and its anonymous volumes) when it exits'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l env-host -d 'Pass the whole host environment (before --env-file and --env)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l read-only -d 'Make the root filesystem read-only'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -s i -l interactive -d 'Keep STDIN open'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l init -d 'Run a minimal init as PID 1 that forwards signals and reaps zombies'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l privileged -d 'All capabilities, no seccomp, no masked paths'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Suppress pull progress'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -s P -l publish-all -d 'Publish every port the image exposes on a random host port'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l no-hosts -d 'Do not create /etc/hosts for the container (keep the image\'s)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -l rootfs -d 'The IMAGE argument is a root filesystem: a directory, or a squashfs file'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from start" -l filter -d 'Filter the containers (with --all): id, name, status, ancestor, label, …' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from start" -l detach-keys -d 'Key sequence for detaching (accepted)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from start" -l sig-proxy -d 'Forward signals to the process (accepted: always on when attached)' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from start" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from start" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from start" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from start" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from start" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from start" -s a -l attach -d 'Attach the container\'s STDOUT and STDERR (one container only)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from start" -s i -l interactive -d 'Attach the container\'s STDIN (one container only; implies --attach)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from start" -l all -d 'Start all containers that are not running'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from start" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from start" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stop" -s t -l time -d 'Seconds to wait for stop before killing the container (default: its StopTimeout, 10)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stop" -l cidfile -d 'Read the container ID from the file (accepted for podman compatibility)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stop" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stop" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stop" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stop" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stop" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stop" -s a -l all -d 'Stop all running containers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stop" -s i -l ignore -d 'Ignore errors when a specified container is missing'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stop" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stop" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from restart" -s t -l time -d 'Seconds to wait for stop before killing the container' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from restart" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from restart" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from restart" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from restart" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from restart" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from restart" -s a -l all -d 'Restart all containers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from restart" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from restart" -l running -d 'Restart only running containers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from restart" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from restart" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from kill" -s s -l signal -d 'Signal to send to the container' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from kill" -l cidfile -d 'Read the container ID from the file (accepted for podman compatibility)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from kill" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from kill" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from kill" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from kill" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from kill" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from kill" -s a -l all -d 'Signal all running containers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from kill" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from kill" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from kill" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rm" -s t -l time -d 'Seconds to wait for stop before killing the container (with --force)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rm" -l cidfile -d 'Read the container ID from the file' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rm" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rm" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rm" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rm" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rm" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rm" -s a -l all -d 'Remove all containers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rm" -s f -l force -d 'Stop a running container first, then remove it; no error for missing containers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rm" -s i -l ignore -d 'Ignore errors when a specified container is missing'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rm" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rm" -s v -l volumes -d 'Remove the anonymous volumes associated with the container'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rm" -l depend -d 'Remove the containers that depend on it (join its network) first'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format the output with a Go template, or `json`' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from inspect" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from inspect" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from inspect" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from inspect" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from inspect" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from inspect" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from inspect" -s s -l size -d 'Display the total file size (accepted)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from logs" -l since -d 'Show logs since TIMESTAMP (RFC 3339, date, Unix time, or a duration like 10m)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from logs" -l until -d 'Show logs until TIMESTAMP' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from logs" -l tail -d 'Output the specified number of lines at the end of the logs (-1: all)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from logs" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from logs" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from logs" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from logs" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from logs" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from logs" -s f -l follow -d 'Follow log output (ends when the container exits)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from logs" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from logs" -s n -l names -d 'Output the container name (or ID) before each line'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from logs" -s t -l timestamps -d 'Output the timestamps of the log entries'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from logs" -l color -d 'Output the log in color (accepted)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from logs" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exec" -s e -l env -d 'Set environment variables (`KEY=VALUE`, or `KEY` to pass rctr\'s own value)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exec" -l env-file -d 'Read environment variables from a file (`KEY=VALUE` lines, # comments)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exec" -s u -l user -d 'Run as user[:group] (names from the container\'s /etc/passwd and /etc/group)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exec" -s w -l workdir -d 'Working directory inside the container' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exec" -l detach-keys -d 'Key sequence for detaching (accepted)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exec" -l preserve-fds -d 'Pass N additional file descriptors (accepted only as 0)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exec" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exec" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exec" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exec" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exec" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exec" -s d -l detach -d 'Run the command in the background and print nothing'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exec" -s i -l interactive -d 'Keep STDIN open'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exec" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exec" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exec" -l privileged -d 'Give extended privileges to the command (all capabilities, no seccomp)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exec" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exec" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from wait" -l condition -d 'Condition to wait on (accepted: stopped, exited; rctr waits for the container to stop)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from wait" -s i -l interval -d 'Time interval to wait before polling (accepted: rctr does not poll)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from wait" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from wait" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from wait" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from wait" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from wait" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from wait" -l ignore -d 'Ignore errors when a specified container is missing'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from wait" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from wait" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from port" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from port" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from port" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from port" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from port" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from port" -s a -l all -d 'Display port information for all containers'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from port" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from port" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from port" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rename" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rename" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rename" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rename" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rename" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from rename" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from top" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from top" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from top" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from top" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from top" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from top" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from top" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from top" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stats" -l format -d 'Format the output with a Go template, or `json`' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stats" -s i -l interval -d 'Seconds between readings' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stats" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stats" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stats" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stats" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stats" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stats" -s a -l all -d 'Show all containers (stopped ones with empty values)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stats" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stats" -l no-stream -d 'Print one reading and exit'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stats" -l no-reset -d 'Do not clear the terminal between readings'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from stats" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from attach" -l detach-keys -d 'Key sequence for detaching (accepted; with --sig-proxy=false Ctrl-C detaches)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from attach" -l sig-proxy -d 'Forward received signals to the container' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from attach" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from attach" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from attach" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from attach" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from attach" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from attach" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from attach" -l no-stdin -d 'Do not attach STDIN (rctr never does, see above)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from attach" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from attach" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from prune" -l filter -d 'Only prune containers matching the filters (label, until, …)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from prune" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from prune" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from prune" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from prune" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from prune" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not ask for confirmation'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exists" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exists" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exists" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exists" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exists" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exists" -l external -d 'Also look at containers of other tools in the store (rctr\'s store holds only its own)'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exists" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand container; and __fish_seen_subcommand_from exists" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand system; and not __fish_seen_subcommand_from prune reset" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand system; and not __fish_seen_subcommand_from prune reset" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand system; and not __fish_seen_subcommand_from prune reset" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand system; and not __fish_seen_subcommand_from prune reset" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand system; and not __fish_seen_subcommand_from prune reset" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand system; and not __fish_seen_subcommand_from prune reset" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand system; and not __fish_seen_subcommand_from prune reset" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand system; and not __fish_seen_subcommand_from prune reset" -f -a "prune" -d 'Remove unused data: stopped containers, dangling (with -a: unused) images, volumes'
complete -c rctr -n "__fish_rctr_using_subcommand system; and not __fish_seen_subcommand_from prune reset" -f -a "reset" -d 'Remove every container, image, volume and all state rctr stored'
complete -c rctr -n "__fish_rctr_using_subcommand system; and __fish_seen_subcommand_from prune" -l filter -d 'Only prune objects matching the filters (accepted for containers)' -r
complete -c rctr -n "__fish_rctr_using_subcommand system; and __fish_seen_subcommand_from prune" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand system; and __fish_seen_subcommand_from prune" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand system; and __fish_seen_subcommand_from prune" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand system; and __fish_seen_subcommand_from prune" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand system; and __fish_seen_subcommand_from prune" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand system; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all unused images, not only dangling ones'
complete -c rctr -n "__fish_rctr_using_subcommand system; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not ask for confirmation'
complete -c rctr -n "__fish_rctr_using_subcommand system; and __fish_seen_subcommand_from prune" -l volumes -d 'Prune volumes not used by any container too'
complete -c rctr -n "__fish_rctr_using_subcommand system; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand system; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand system; and __fish_seen_subcommand_from reset" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand system; and __fish_seen_subcommand_from reset" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand system; and __fish_seen_subcommand_from reset" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand system; and __fish_seen_subcommand_from reset" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand system; and __fish_seen_subcommand_from reset" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand system; and __fish_seen_subcommand_from reset" -s f -l force -d 'Do not ask for confirmation'
complete -c rctr -n "__fish_rctr_using_subcommand system; and __fish_seen_subcommand_from reset" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand system; and __fish_seen_subcommand_from reset" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand top" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand top" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand top" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand top" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand top" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand top" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand top" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand top" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand stats" -l format -d 'Format the output with a Go template, or `json`' -r
complete -c rctr -n "__fish_rctr_using_subcommand stats" -s i -l interval -d 'Seconds between readings' -r
complete -c rctr -n "__fish_rctr_using_subcommand stats" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand stats" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand stats" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand stats" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand stats" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand stats" -s a -l all -d 'Show all containers (stopped ones with empty values)'
complete -c rctr -n "__fish_rctr_using_subcommand stats" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand stats" -l no-stream -d 'Print one reading and exit'
complete -c rctr -n "__fish_rctr_using_subcommand stats" -l no-reset -d 'Do not clear the terminal between readings'
complete -c rctr -n "__fish_rctr_using_subcommand stats" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand stats" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand attach" -l detach-keys -d 'Key sequence for detaching (accepted; with --sig-proxy=false Ctrl-C detaches)' -r
complete -c rctr -n "__fish_rctr_using_subcommand attach" -l sig-proxy -d 'Forward received signals to the container' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand attach" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand attach" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand attach" -l log-level -d 'Log level (debug: print the container start timeline and the runtime helpers\' steps)' -r
complete -c rctr -n "__fish_rctr_using_subcommand attach" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand attach" -l cgroup-manager -d 'Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated subtree); default containers.conf\'s cgroup_manager, else systemd where a user bus exists' -r
complete -c rctr -n "__fish_rctr_using_subcommand attach" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand attach" -l no-stdin -d 'Do not attach STDIN (rctr never does, see above)'
complete -c rctr -n "__fish_rctr_using_subcommand attach" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand attach" -s V -l version -d 'Print version'
