//! Builds the kernel emulator: `kernels/bn254.cu` compiled as host C++ (see `kernels/emu.cpp`).

fn main() {
	println!("cargo:rerun-if-changed=kernels/bn254.cu");
	println!("cargo:rerun-if-changed=kernels/emu.cpp");
	cc::Build::new()
		.cpp(true)
		.file("kernels/emu.cpp")
		.flag_if_supported("-std=c++17")
		.flag_if_supported("-Wno-unused-function")
		.opt_level(3)
		.compile("cloudana_gpu_emu");
}
