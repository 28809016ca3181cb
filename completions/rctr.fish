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
complete -c rctr -n "__fish_rctr_needs_command" -f -a "stop" -d 'Stop one or more containers'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "kill" -d 'Kill one or more running containers with a specific signal'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "rm" -d 'Remove one or more containers'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "wait" -d 'Block on one or more containers'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "rename" -d 'Rename an existing container'
complete -c rctr -n "__fish_rctr_needs_command" -f -a "port" -d 'List port mappings or a specific mapping for the container'
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
complete -c rctr -n "__fish_rctr_using_subcommand pull" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand pull" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand pull" -s q -l quiet -d 'Print only the image ID'
complete -c rctr -n "__fish_rctr_using_subcommand pull" -s a -l all-tags -d 'Pull all tagged images of the repository (not supported)'
complete -c rctr -n "__fish_rctr_using_subcommand pull" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand pull" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand images" -s f -l filter -d 'Filter: dangling=true|false, reference=PATTERN, id=ID' -r
complete -c rctr -n "__fish_rctr_using_subcommand images" -l format -d 'Pretty-print with a Go template, or `json`' -r
complete -c rctr -n "__fish_rctr_using_subcommand images" -l sort -d 'Sort by created, id, repository, size or tag' -r
complete -c rctr -n "__fish_rctr_using_subcommand images" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand images" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand images" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand images" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand images" -s a -l all -d 'Show all images (rctr keeps no intermediate images: same as without)'
complete -c rctr -n "__fish_rctr_using_subcommand images" -l digests -d 'Show digests'
complete -c rctr -n "__fish_rctr_using_subcommand images" -s n -l noheading -d 'Do not print the header row'
complete -c rctr -n "__fish_rctr_using_subcommand images" -l no-trunc -d 'Do not truncate IDs'
complete -c rctr -n "__fish_rctr_using_subcommand images" -s q -l quiet -d 'Print only image IDs'
complete -c rctr -n "__fish_rctr_using_subcommand images" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand images" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -s a -l all -d 'Remove all images'
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -s f -l force -d 'Also remove images used by (stopped) containers, removing those containers, and images with several names referenced by ID'
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -s i -l ignore -d 'Do not fail for images that are not known'
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -l no-prune -d 'Accepted for podman compatibility (rctr keeps no intermediate images)'
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand rmi" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand tag" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand tag" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand tag" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand tag" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand tag" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand tag" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand untag" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand untag" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand untag" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand untag" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand untag" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand untag" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -s f -l format -d 'Format the output with a Go template, or `json`' -r
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -s t -l type -d 'Only look up objects of this type' -r -f -a "container\t''
image\t''
all\t''"
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -s s -l size -d 'Display the total file size (accepted; sizes are always shown)'
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load" -f -a "ls" -d 'List images'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load" -f -a "list" -d 'List images'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load" -f -a "rm" -d 'Remove images'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load" -f -a "pull" -d 'Pull images from a registry'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load" -f -a "tag" -d 'Add names to an image'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load" -f -a "untag" -d 'Remove names from an image'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load" -f -a "inspect" -d 'Display the configuration of images'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load" -f -a "prune" -d 'Remove unused images'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load" -f -a "exists" -d 'Exit 0 if the image exists in the store, 1 if not'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load" -f -a "save" -d 'Save images to an archive'
complete -c rctr -n "__fish_rctr_using_subcommand image; and not __fish_seen_subcommand_from ls list rm pull tag untag inspect prune exists save load" -f -a "load" -d 'Load images from an archive'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter: dangling=true|false, reference=PATTERN, id=ID' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -l format -d 'Pretty-print with a Go template, or `json`' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -l sort -d 'Sort by created, id, repository, size or tag' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from ls" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
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
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -s a -l all -d 'Show all images (rctr keeps no intermediate images: same as without)'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -l digests -d 'Show digests'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -s n -l noheading -d 'Do not print the header row'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -l no-trunc -d 'Do not truncate IDs'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only image IDs'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from rm" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from rm" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from rm" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from rm" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
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
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -s q -l quiet -d 'Print only the image ID'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -s a -l all-tags -d 'Pull all tagged images of the repository (not supported)'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from pull" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from tag" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from tag" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from tag" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from tag" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from tag" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from tag" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from untag" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from untag" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from untag" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from untag" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from untag" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from untag" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format the output with a Go template, or `json`' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from inspect" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from inspect" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from inspect" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from inspect" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from prune" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from prune" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from prune" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from prune" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all images not used by containers, not only dangling ones'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not ask for confirmation'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from exists" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from exists" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from exists" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from exists" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from exists" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from exists" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -s o -l output -d 'Write to FILE (default: stdout, which must not be a terminal)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -l format -d 'Archive format' -r -f -a "oci-archive\t'An OCI image layout in a tar'
docker-archive\t'The `docker save` layout in a tar (podman\'s default)'"
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -s q -l quiet -d 'Suppress progress output'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -l compress -d 'Accepted for podman compatibility (layers are always written uncompressed)'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from save" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from load" -s i -l input -d 'Read from FILE (default: stdin)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from load" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from load" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from load" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from load" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from load" -s q -l quiet -d 'Suppress progress output'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from load" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand image; and __fish_seen_subcommand_from load" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand login" -s u -l username -d 'Username' -r
complete -c rctr -n "__fish_rctr_using_subcommand login" -s p -l password -d 'Password (visible in the process list: prefer --password-stdin)' -r
complete -c rctr -n "__fish_rctr_using_subcommand login" -l authfile -d 'Path of the authentication file' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand login" -l tls-verify -d 'Require HTTPS and verify certificates' -r -f -a "true\t''
false\t''"
complete -c rctr -n "__fish_rctr_using_subcommand login" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand login" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand login" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand login" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand login" -l password-stdin -d 'Read the password from stdin'
complete -c rctr -n "__fish_rctr_using_subcommand login" -l get-login -d 'Print the username stored for REGISTRY and exit'
complete -c rctr -n "__fish_rctr_using_subcommand login" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand login" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand logout" -l authfile -d 'Path of the authentication file' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand logout" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand logout" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand logout" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand logout" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand logout" -s a -l all -d 'Remove the credentials of all registries'
complete -c rctr -n "__fish_rctr_using_subcommand logout" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand logout" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand save" -s o -l output -d 'Write to FILE (default: stdout, which must not be a terminal)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand save" -l format -d 'Archive format' -r -f -a "oci-archive\t'An OCI image layout in a tar'
docker-archive\t'The `docker save` layout in a tar (podman\'s default)'"
complete -c rctr -n "__fish_rctr_using_subcommand save" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand save" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand save" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand save" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand save" -s q -l quiet -d 'Suppress progress output'
complete -c rctr -n "__fish_rctr_using_subcommand save" -l compress -d 'Accepted for podman compatibility (layers are always written uncompressed)'
complete -c rctr -n "__fish_rctr_using_subcommand save" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rctr -n "__fish_rctr_using_subcommand save" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand load" -s i -l input -d 'Read from FILE (default: stdin)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand load" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand load" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand load" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand load" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand load" -s q -l quiet -d 'Suppress progress output'
complete -c rctr -n "__fish_rctr_using_subcommand load" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand load" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand ps" -s n -l last -d 'Print the n last created containers (all states)' -r
complete -c rctr -n "__fish_rctr_using_subcommand ps" -s f -l filter -d 'Filter output based on conditions given (id, name, status, ancestor, label, exited, before, since, until)' -r
complete -c rctr -n "__fish_rctr_using_subcommand ps" -l format -d 'Pretty-print containers to JSON or using a Go template' -r
complete -c rctr -n "__fish_rctr_using_subcommand ps" -l sort -d 'Sort output by: command, created, id, image, names, runningfor, status' -r
complete -c rctr -n "__fish_rctr_using_subcommand ps" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand ps" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand ps" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand ps" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
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
complete -c rctr -n "__fish_rctr_using_subcommand stop" -s t -l time -d 'Seconds to wait for stop before killing the container (default: its StopTimeout, 10)' -r
complete -c rctr -n "__fish_rctr_using_subcommand stop" -l cidfile -d 'Read the container ID from the file (accepted for podman compatibility)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand stop" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand stop" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand stop" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand stop" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand stop" -s a -l all -d 'Stop all running containers'
complete -c rctr -n "__fish_rctr_using_subcommand stop" -s i -l ignore -d 'Ignore errors when a specified container is missing'
complete -c rctr -n "__fish_rctr_using_subcommand stop" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand stop" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand stop" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand kill" -s s -l signal -d 'Signal to send to the container' -r
complete -c rctr -n "__fish_rctr_using_subcommand kill" -l cidfile -d 'Read the container ID from the file (accepted for podman compatibility)' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand kill" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand kill" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand kill" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand kill" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand kill" -s a -l all -d 'Signal all running containers'
complete -c rctr -n "__fish_rctr_using_subcommand kill" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand kill" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand kill" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand rm" -s t -l time -d 'Seconds to wait for stop before killing the container (with --force)' -r
complete -c rctr -n "__fish_rctr_using_subcommand rm" -l cidfile -d 'Read the container ID from the file' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand rm" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand rm" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand rm" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand rm" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand rm" -s a -l all -d 'Remove all containers'
complete -c rctr -n "__fish_rctr_using_subcommand rm" -s f -l force -d 'Stop a running container first, then remove it; no error for missing containers'
complete -c rctr -n "__fish_rctr_using_subcommand rm" -s i -l ignore -d 'Ignore errors when a specified container is missing'
complete -c rctr -n "__fish_rctr_using_subcommand rm" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand rm" -s v -l volumes -d 'Remove anonymous volumes associated with the container (accepted)'
complete -c rctr -n "__fish_rctr_using_subcommand rm" -l depend -d 'Remove the containers depending on it (accepted; rctr has no dependencies)'
complete -c rctr -n "__fish_rctr_using_subcommand rm" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand rm" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand wait" -l condition -d 'Condition to wait on (accepted: stopped, exited; rctr waits for the container to stop)' -r
complete -c rctr -n "__fish_rctr_using_subcommand wait" -s i -l interval -d 'Time interval to wait before polling (accepted: rctr does not poll)' -r
complete -c rctr -n "__fish_rctr_using_subcommand wait" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand wait" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand wait" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand wait" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand wait" -l ignore -d 'Ignore errors when a specified container is missing'
complete -c rctr -n "__fish_rctr_using_subcommand wait" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand wait" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand wait" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand rename" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand rename" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand rename" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand rename" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand rename" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand rename" -s V -l version -d 'Print version'
complete -c rctr -n "__fish_rctr_using_subcommand port" -l root -d 'Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand port" -l runroot -d 'Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback' -r -F
complete -c rctr -n "__fish_rctr_using_subcommand port" -l log-level -d 'Log level (accepted for podman compatibility)' -r
complete -c rctr -n "__fish_rctr_using_subcommand port" -l storage-opt -d 'Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs' -r
complete -c rctr -n "__fish_rctr_using_subcommand port" -s a -l all -d 'Display port information for all containers'
complete -c rctr -n "__fish_rctr_using_subcommand port" -s l -l latest -d 'Act on the latest container created'
complete -c rctr -n "__fish_rctr_using_subcommand port" -s h -l help -d 'Print help'
complete -c rctr -n "__fish_rctr_using_subcommand port" -s V -l version -d 'Print version'
