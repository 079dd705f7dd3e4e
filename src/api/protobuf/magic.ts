/** The four bytes `k8s\0` that open every Kubernetes protobuf body. */
export const KUBERNETES_PROTOBUF_MAGIC: Readonly<Uint8Array> = Uint8Array.from([0x6b, 0x38, 0x73, 0x00]);

export function hasKubernetesProtobufMagic(buf: Uint8Array): boolean {
  return buf.length >= KUBERNETES_PROTOBUF_MAGIC.length && KUBERNETES_PROTOBUF_MAGIC.every((b, i) => buf[i] === b);
}
