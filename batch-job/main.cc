// sample-batch: the aggregation job the orchc workflows run (docs/batch-job.md).
#include "batch_main.h"

int main(int argc, char** argv) { return batch::Main(argc, argv, nullptr); }
