// conc-hazard: 5 heap object handed between threads (fixed: an atomic pointer, release/acquire)
// conc-expect-runtime: none
// conc-expect-lint: none
// conc-run: timeout=10
#include <atomic>
#include <cstdio>
#include <thread>

struct Config {
  int port;
  int workers;
};

std::atomic<Config*> config{nullptr};

void load_config() { config.store(new Config{8080, 4}, std::memory_order_release); }

void serve() {
  Config* loaded;
  while ((loaded = config.load(std::memory_order_acquire)) == nullptr)
    std::this_thread::yield();
  std::printf("port %d, %d workers\n", loaded->port, loaded->workers);
}

int main() {
  std::thread server(serve);
  std::thread loader(load_config);
  loader.join();
  server.join();
  delete config.load();
}
