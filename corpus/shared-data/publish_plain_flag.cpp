// conc-hazard: 5 heap object handed between threads through a plain flag
// conc-expect-runtime: data-race
// conc-expect-lint: unguarded-access:17 unguarded-access:18 unguarded-access:22 unguarded-access:24
// conc-run: timeout=10
#include <cstdio>
#include <thread>

struct Config {
  int port;
  int workers;
};

Config* config;
volatile bool ready;  // volatile is not synchronization

void load_config() {
  config = new Config{8080, 4};
  ready = true;
}

void serve() {
  while (!ready)
    std::this_thread::yield();
  std::printf("port %d, %d workers\n", config->port, config->workers);
}

int main() {
  std::thread server(serve);
  std::thread loader(load_config);
  loader.join();
  server.join();
  delete config;
}
