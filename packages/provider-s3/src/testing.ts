export { makeMemoryS3, memoryBucketConnector, memoryBucketPolicyConnector, layerMemory, s3Error, type MemoryS3, type MemoryBucket, type MemoryVersion } from "./memoryS3.ts";
export { makeMemoryIdentity, type MemoryIdentity, type MemoryUser } from "./accessKey/memoryIdentity.ts";
