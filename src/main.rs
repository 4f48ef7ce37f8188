mod render;

fn main() {}
