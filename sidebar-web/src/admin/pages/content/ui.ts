// Element Plus components the content pages (话术库, 商品库) use beyond the console's shared set.
export { ElDialog } from 'element-plus/es/components/dialog/index.mjs'
export { ElInputNumber } from 'element-plus/es/components/input-number/index.mjs'
export { ElOption, ElSelect } from 'element-plus/es/components/select/index.mjs'
export { ElRadioButton, ElRadioGroup } from 'element-plus/es/components/radio/index.mjs'
