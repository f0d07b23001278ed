fn main() {
    readout::cli::run();
}
