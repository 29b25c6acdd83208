# Shared by the h2load scripts: sourced, not run.

# free_port: prints a TCP port nothing listens on.
free_port() {
    local port
    while true; do
        port=$((20000 + RANDOM % 40000))
        (echo > "/dev/tcp/127.0.0.1/$port") 2> /dev/null || { echo "$port"; return; }
    done
}
