{{- /* Every object is named after the release. */ -}}
{{- define "s3-provider.name" -}}{{ .Release.Name }}{{- end -}}

{{- define "s3-provider.labels" -}}
app.kubernetes.io/name: s3-provider
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "s3-provider.selector" -}}
app.kubernetes.io/name: s3-provider
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- /* The image: repository@digest when a digest is set (it wins over the tag), else repository:tag. */ -}}
{{- define "s3-provider.image" -}}
{{- with .Values.image.digest -}}
{{ $.Values.image.repository }}@{{ . }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{- /*
NODE_OPTIONS: small semi-spaces, and the old generation capped at node.heapPercentOfLimit of
resources.limits.memory (in MB). values.schema.json admits only Mi, Gi, M, G or bytes there.
*/ -}}
{{- define "s3-provider.nodeOptions" -}}
{{- $options := list (printf "--max-semi-space-size=%v" .Values.node.semiSpaceMB) -}}
{{- $memory := toString ((.Values.resources.limits | default dict).memory | default "") -}}
{{- $limitMB := 0 -}}
{{- if hasSuffix "Gi" $memory }}{{ $limitMB = mul (trimSuffix "Gi" $memory | int64) 1024 }}
{{- else if hasSuffix "Mi" $memory }}{{ $limitMB = trimSuffix "Mi" $memory | int64 }}
{{- else if hasSuffix "G" $memory }}{{ $limitMB = div (mul (trimSuffix "G" $memory | int64) 1000000000) 1048576 }}
{{- else if hasSuffix "M" $memory }}{{ $limitMB = div (mul (trimSuffix "M" $memory | int64) 1000000) 1048576 }}
{{- else if ne $memory "" }}{{ $limitMB = div ($memory | int64) 1048576 }}
{{- end }}
{{- if gt (int64 $limitMB) 0 }}{{ $options = append $options (printf "--max-old-space-size=%d" (div (mul $limitMB (int64 .Values.node.heapPercentOfLimit)) 100)) }}{{ end }}
{{- with .Values.node.extraOptions }}{{ $options = append $options . }}{{ end }}
{{- join " " $options -}}
{{- end -}}

{{- /* What the controller does with its namespaced kinds, Secrets and Events: in a ClusterRole or in a Role per watched namespace. */ -}}
{{- define "s3-provider.namespacedRules" -}}
- apiGroups: [s3.cloud37.dev]
  resources: [buckets, bucketpolicies, accesskeys, providerconfigs]
  verbs: [get, list, watch, patch, update]
- apiGroups: [s3.cloud37.dev]
  resources: [buckets/status, bucketpolicies/status, accesskeys/status, providerconfigs/status]
  verbs: [get, patch, update]
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, create, patch]
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
{{- end -}}

{{- /* What the controller does with cluster-scoped objects: ClusterProviderConfigs, and Namespaces' labels (namespaceSelector). */ -}}
{{- define "s3-provider.clusterScopedRules" -}}
- apiGroups: [s3.cloud37.dev]
  resources: [clusterproviderconfigs]
  verbs: [get, list, watch, patch, update]
- apiGroups: [s3.cloud37.dev]
  resources: [clusterproviderconfigs/status]
  verbs: [get, patch, update]
- apiGroups: [""]
  resources: [namespaces]
  verbs: [get, list, watch]
{{- end -}}

{{- /* A binding's subject: the chart's ServiceAccount. */ -}}
{{- define "s3-provider.subjects" -}}
- {kind: ServiceAccount, name: {{ include "s3-provider.name" . }}, namespace: {{ .Release.Namespace }}}
{{- end -}}
