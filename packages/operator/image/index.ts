/** The container image: the offline OCI build and the pinned Debian parts it is made of. */
export { buildImage, appVersion, imageRepository, type BuiltImage } from "./build.ts";
export { writeOciArchive, fileDigest, type ImageSpec, type RuntimeConfig, type WrittenImage } from "./oci.ts";
export { fetchDeb, unpackDeb, readLock, cacheRoot, type DebianPackage } from "./debian.ts";
export { layout, runtimeConfig } from "./runtime.ts";
