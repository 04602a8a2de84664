// conc-hazard: 37 future never waited / exception lost (fixed: the worker sets an exception on its error path)
// conc-expect-runtime: none
// conc-expect-lint: none
#include <cstdio>
#include <future>
#include <stdexcept>
#include <thread>

void parse(int input, std::promise<int> result) {
  if (input < 0) {
    result.set_exception(std::make_exception_ptr(std::invalid_argument("parse: negative input")));
    return;
  }
  result.set_value(input * 2);
}

int main() {
  std::promise<int> promise;
  std::future<int> value = promise.get_future();
  std::thread worker(parse, -1, std::move(promise));
  try {
    std::printf("value = %d\n", value.get());
  } catch (const std::exception& error) {
    std::printf("parse failed: %s\n", error.what());
  }
  worker.join();
}
